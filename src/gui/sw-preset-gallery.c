/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPresetGallery (see sw-preset-gallery.h).  The explanations are short
 * on purpose: a first sentence that says what the network is, a second
 * that says what to look at.  The long ones live in the presets
 * ("explanation", shown under "About This Model").
 */
#define G_LOG_DOMAIN "Spikeworks-Gallery"

#include "config.h"

#include "sw-preset-gallery.h"

#include <glib/gi18n.h>

static const SwGalleryEntry entries[] = {
  { "destexhe-adex", { NULL }, "AdEx",
    N_("Cortical Network with Adaptation"),
    N_("10 000 excitatory and inhibitory neurons; each spike makes an excitatory cell a little "
       "harder to excite. With weak adaptation b the network fires irregularly. Drag b up and "
       "watch the activity break into Up and Down states.") },
  { "brunel-a", { "g=5", "eta=2", NULL }, "AI",
    N_("Brunel Network: Asynchronous Irregular"),
    N_("Inhibition balances excitation (g = 5, η = 2). Every neuron fires irregularly at about "
       "38 spikes per second, and neurons do not fire together: the population rate stays flat.") },
  { "brunel-a", { "g=3", "eta=2", NULL }, "SR",
    N_("Brunel Network: Synchronous Regular"),
    N_("Inhibition is weak (g = 3), so excitation wins. Neurons fire very fast and almost like "
       "clocks, in groups that fire together: look for stripes in the raster.") },
  { "brunel-a", { "g=6", "eta=4", NULL }, "SI fast",
    N_("Brunel Network: Fast Oscillation"),
    N_("Strong inhibition and strong drive (g = 6, η = 4). Each neuron fires irregularly, yet "
       "the population rate oscillates near 180 Hz: find the peak in the spectrum.") },
  { "brunel-a", { "g=4.5", "eta=0.9", NULL }, "SI slow",
    N_("Brunel Network: Slow Oscillation"),
    N_("The drive alone cannot reach threshold (η = 0.9). Neurons fire rarely, when the network "
       "pushes them, and the whole population swings slowly, 20 to 30 times a second.") },
  { "coba", { NULL }, "COBA",
    N_("Conductance-Based Benchmark"),
    N_("4000 neurons with no outside input at all: after a random start the activity keeps "
       "itself going through the connections, a few spikes per neuron each second.") },
  { "cuba", { NULL }, "CUBA",
    N_("Current-Based Benchmark"),
    N_("4000 neurons that would each fire like clocks on their own. Their connections, with "
       "strong inhibition, turn this into irregular activity that never settles.") },
  { "mass-jansen-rit", { NULL }, "JR",
    N_("Neural Mass: Alpha Rhythm of a Cortical Column"),
    N_("Three populations of a patch of cortex, each described by its average activity. Noisy "
       "input makes the column ring near 11 Hz: find the alpha peak in the spectrum.") },
  { "mass-ou-perturbation", { NULL }, "OU",
    N_("Neural Mass: A Pulse Spreading through a Network"),
    N_("Twenty brain regions, each relaxing back to rest, joined on a small-world network. Click a "
       "region to send it a pulse and see how far the response reaches, one hop and two hops away.") },
  { "mass-stuart-landau", { NULL }, "SL",
    N_("Neural Mass: An Oscillator at Its Hopf Point"),
    N_("The simplest oscillator: with a < 0 activity spirals into rest, with a > 0 it circles for "
       "ever. Move a across zero and watch the phase plane change.") },
  { "mass-mpr-bistable", { NULL }, "MPR",
    N_("Neural Mass: Two Stable States"),
    N_("The exact mean field of many spiking neurons. For these values it can rest quietly or fire "
       "strongly: the phase plane shows both stable points with a saddle between them.") },
  { "mass-fitzhugh-nagumo", { NULL }, "FHN",
    N_("Neural Mass: An Excitable Unit"),
    N_("Two variables, a fast one and a slow one. Below a threshold current the unit rests and "
       "answers a kick with one spike; raise the current I and it fires rhythmically.") },
  { "mass-wilson-cowan", { NULL }, "WC",
    N_("Neural Mass: Excitation and Inhibition in a Loop"),
    N_("An excitatory and an inhibitory population that drive each other. With the drive P near "
       "1.25 they chase each other round a cycle at about 20 Hz; the bifurcation view shows where it starts.") },
  { "hh-squid", { NULL }, "HH",
    N_("Hodgkin-Huxley Squid Axon"),
    N_("A patch of squid axon membrane with the sodium and potassium channels of the classic "
       "model. Raise the current: one spike, then steady firing, then at very strong currents "
       "no spikes at all (depolarisation block).") },
  { "passive-cable", { NULL }, "Cable",
    N_("Passive Cable"),
    N_("A thin dendrite without active channels and a steady current at one end. Click along "
       "it to trace the voltage: it falls off with distance, by about a third over one "
       "length constant (500 µm).") },
  { "brc-cell", { NULL }, "BRC cell",
    N_("Pyramidal Cell with Dendrites"),
    N_("A soma and three thinning dendrites, each cut into compartments. A current step makes "
       "the soma fire; watch the spikes spread into the dendrites and fade on the way, and "
       "place a clamp or a synapse of your own.") },
  { "hnn-l5", { NULL }, "L5",
    N_("Layer-5 Pyramidal Cell (HNN)"),
    N_("A cortical pyramidal cell with a long apical dendrite. Trace the soma and the tuft: "
       "a current step at the soma makes a few spikes, and a slow calcium spike can follow in "
       "the dendrite.") },
  { "brc-network", { NULL }, "BRC",
    N_("Working Memory in a Dendritic Network"),
    N_("75 cells with dendrites hear a brief cue and must hold it for a second. The memory task "
       "scores four kinds of cue synapses: compare fast AMPA with slow NMDA synapses, at the "
       "soma and on the dendrite.") },
};

struct _SwPresetGallery
{
  AdwWindow parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (SwPresetGallery, sw_preset_gallery, ADW_TYPE_WINDOW)

enum
{
  ENTRY_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_activated_cb (SwPresetGallery *self, GtkListBoxRow *row)
{
  guint index = (guint) gtk_list_box_row_get_index (row);

  g_object_ref (self);
  g_signal_emit (self, signals[ENTRY_CHOSEN], 0, index);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
sw_preset_gallery_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SW_TYPE_PRESET_GALLERY);
  G_OBJECT_CLASS (sw_preset_gallery_parent_class)->dispose (object);
}

static void
sw_preset_gallery_class_init (SwPresetGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_preset_gallery_dispose;

  signals[ENTRY_CHOSEN] =
    g_signal_new ("entry-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-preset-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, SwPresetGallery, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static GtkWidget *
entry_row (const SwGalleryEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tag = gtk_label_new (entry->tag);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(entry->title));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(entry->explanation));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "state-tag");
  gtk_label_set_width_chars (GTK_LABEL (tag), 7);
  gtk_accessible_update_state (GTK_ACCESSIBLE (tag), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), tag);

  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  return row;
}

static void
sw_preset_gallery_init (SwPresetGallery *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_list_box_append (self->list, entry_row (&entries[i]));
}

GtkWidget *
sw_preset_gallery_new (GtkWindow *parent)
{
  return g_object_new (SW_TYPE_PRESET_GALLERY,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

const SwGalleryEntry *
sw_preset_gallery_get_entries (guint *n_entries)
{
  if (n_entries != NULL)
    *n_entries = G_N_ELEMENTS (entries);
  return entries;
}
