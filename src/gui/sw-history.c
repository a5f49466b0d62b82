/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwHistory: two stacks of document snapshots (see sw-history.h).  A
 * document is a few kilobytes of JSON, so keeping whole snapshots costs
 * little and makes every kind of edit reversible the same way.
 */
#define G_LOG_DOMAIN "Spikeworks-History"

#include "config.h"

#include "sw-history.h"

/* Edits of one key closer together than this merge into one command. */
#define MERGE_US (G_USEC_PER_SEC)
/* The oldest commands are dropped beyond this many. */
#define MAX_COMMANDS 200

typedef struct
{
  char *key;
  char *label;
  char *json;          /* the document on the other side of this command */
  gint64 time_us;
} Command;

struct _SwHistory
{
  GObject parent_instance;

  GQueue undo;         /* of Command, newest at the head */
  GQueue redo;
  gboolean sealed;
};

G_DEFINE_FINAL_TYPE (SwHistory, sw_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
command_free (gpointer data)
{
  Command *c = data;

  g_free (c->key);
  g_free (c->label);
  g_free (c->json);
  g_free (c);
}

/* Notifies can-undo and can-redo when they differ from what they were
 * before a change (@had_undo, @had_redo). */
static void
notify_changes (SwHistory *self, gboolean had_undo, gboolean had_redo)
{
  if (had_undo != sw_history_get_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (had_redo != sw_history_get_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
sw_history_finalize (GObject *object)
{
  SwHistory *self = SW_HISTORY (object);

  g_queue_clear_full (&self->undo, command_free);
  g_queue_clear_full (&self->redo, command_free);

  G_OBJECT_CLASS (sw_history_parent_class)->finalize (object);
}

static void
sw_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwHistory *self = SW_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, sw_history_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, sw_history_get_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_history_class_init (SwHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sw_history_finalize;
  object_class->get_property = sw_history_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sw_history_init (SwHistory *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

SwHistory *
sw_history_new (void)
{
  return g_object_new (SW_TYPE_HISTORY, NULL);
}

gboolean
sw_history_would_merge (SwHistory *self, const char *key)
{
  Command *top;

  g_return_val_if_fail (SW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  top = g_queue_peek_head (&self->undo);
  return top != NULL && !self->sealed && g_str_equal (top->key, key)
         && g_get_monotonic_time () - top->time_us < MERGE_US;
}

void
sw_history_push (SwHistory *self, const char *key, const char *label, char *before)
{
  gboolean had_undo, had_redo;

  g_return_if_fail (SW_IS_HISTORY (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (before != NULL || sw_history_would_merge (self, key));

  had_undo = sw_history_get_can_undo (self);
  had_redo = sw_history_get_can_redo (self);
  g_queue_clear_full (&self->redo, command_free);
  if (sw_history_would_merge (self, key))
    {
      /* The merged command keeps the oldest snapshot. */
      Command *top = g_queue_peek_head (&self->undo);
      top->time_us = g_get_monotonic_time ();
      g_free (before);
    }
  else
    {
      Command *c = g_new0 (Command, 1);

      c->key = g_strdup (key);
      c->label = g_strdup (label != NULL ? label : key);
      c->json = before;
      c->time_us = g_get_monotonic_time ();
      g_queue_push_head (&self->undo, c);
      while (g_queue_get_length (&self->undo) > MAX_COMMANDS)
        command_free (g_queue_pop_tail (&self->undo));
    }
  self->sealed = FALSE;
  notify_changes (self, had_undo, had_redo);
}

/* Moves the newest command of @from to @to, swapping its snapshot with
 * @current. */
static char *
swap (SwHistory *self, GQueue *from, GQueue *to, char *current)
{
  gboolean had_undo = sw_history_get_can_undo (self);
  gboolean had_redo = sw_history_get_can_redo (self);
  Command *c = g_queue_pop_head (from);
  char *restore;

  self->sealed = TRUE;
  if (c == NULL)
    {
      g_free (current);
      return NULL;
    }
  restore = c->json;
  c->json = current;
  g_queue_push_head (to, c);
  notify_changes (self, had_undo, had_redo);
  return restore;
}

char *
sw_history_undo (SwHistory *self, char *current)
{
  g_return_val_if_fail (SW_IS_HISTORY (self), NULL);
  return swap (self, &self->undo, &self->redo, current);
}

char *
sw_history_redo (SwHistory *self, char *current)
{
  g_return_val_if_fail (SW_IS_HISTORY (self), NULL);
  return swap (self, &self->redo, &self->undo, current);
}

const char *
sw_history_get_undo_label (SwHistory *self)
{
  Command *c;

  g_return_val_if_fail (SW_IS_HISTORY (self), NULL);
  c = g_queue_peek_head (&self->undo);
  return c != NULL ? c->label : NULL;
}

const char *
sw_history_get_redo_label (SwHistory *self)
{
  Command *c;

  g_return_val_if_fail (SW_IS_HISTORY (self), NULL);
  c = g_queue_peek_head (&self->redo);
  return c != NULL ? c->label : NULL;
}

gboolean
sw_history_get_can_undo (SwHistory *self)
{
  g_return_val_if_fail (SW_IS_HISTORY (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
sw_history_get_can_redo (SwHistory *self)
{
  g_return_val_if_fail (SW_IS_HISTORY (self), FALSE);
  return !g_queue_is_empty (&self->redo);
}

void
sw_history_seal (SwHistory *self)
{
  g_return_if_fail (SW_IS_HISTORY (self));
  self->sealed = TRUE;
}

void
sw_history_clear (SwHistory *self)
{
  gboolean had_undo, had_redo;

  g_return_if_fail (SW_IS_HISTORY (self));

  had_undo = sw_history_get_can_undo (self);
  had_redo = sw_history_get_can_redo (self);
  g_queue_clear_full (&self->undo, command_free);
  g_queue_clear_full (&self->redo, command_free);
  self->sealed = FALSE;
  notify_changes (self, had_undo, had_redo);
}
