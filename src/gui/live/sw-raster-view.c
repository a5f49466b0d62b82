/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRasterView: the scrolling spike raster (see sw-raster-view.h).
 *
 * Layers, back to front: the axes (the plotting library, cairo), the marks
 * (a GtkGLArea child allocated to the plot area, or cairo when GL is not
 * there), the population labels with their marker (GtkSnapshot text).
 *
 * The view keeps every spike of the longest window (10 s) on the CPU.  The
 * GL path mirrors the shown ones in a circular vertex buffer: each frame
 * uploads only the spikes that arrived since the last (glBufferSubData of
 * the new range), and a change of the neuron sample (resize, rebuild)
 * uploads the window again.  Vertices are (time in ms, neuron index across
 * populations, kind); the vertex shader maps the window to the viewport
 * and the fragment shader cuts the point sprite into a tick or a diamond.
 * Times in single precision lose 0.25 ms after an hour of simulated time,
 * less than a pixel at any window this view shows.
 */
#define G_LOG_DOMAIN "Spikeworks-Live"

#include "config.h"

#include "sw-raster-view.h"

#include "sw-live-hub.h"
#include "sw-live-view.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <math.h>

#define MAX_WINDOW_S 10.0
#define SUMMARY_INTERVAL_US 500000
#define VBO_CAPACITY (1 << 18)       /* vertices: far more marks than a window holds */
#define UPLOAD_BATCH 8192

typedef struct
{
  float t_ms;
  float y;       /* neuron index across populations */
  float kind;    /* 0 excitatory (tick), 1 inhibitory (diamond) */
} Vertex;

/* How the populations are laid out on the y axis. */
typedef struct
{
  int n_pops;
  int *offset;   /* first index of each population; -1 for sources */
  int total;     /* neurons of all populations of neurons */
  int stride;    /* every stride-th neuron is shown */
  guint64 generation;
} Layout;

struct _SwRasterView
{
  GtkWidget parent_instance;

  GtkGLArea *gl_area;

  SwLiveHub *hub;              /* not owned */
  double window_s;
  gboolean presentation;
  double point_size;           /* logical pixels; 0: from the rows */
  gboolean use_gl;
  gboolean gl_ok;              /* realized, compiled and without errors */

  /* Spikes of the last MAX_WINDOW_S, oldest first: history[k] has the
   * absolute number hist_base + k. */
  GArray *history;             /* SwSpike */
  guint64 hist_base;

  Layout layout;
  int plot_rows;               /* pixel rows of the plot area */

  SwFigure *fig;
  graphene_rect_t plot;        /* the plot area, widget coordinates */
  gboolean have_plot;

  /* GL state, valid between realize and unrealize. */
  GLuint program, vao, vbo;
  GLint u_t0, u_t1, u_y0, u_y1, u_size, u_colour_e, u_colour_i;
  guint64 uploaded;            /* absolute number of the next spike to consider */
  guint64 uploaded_generation;
  guint vbo_head;              /* next slot to write */
  guint vbo_count;             /* valid vertices */
  float *vbo_t;                /* CPU copy of each slot's time, to skip old marks */
  Vertex *staging;
  gboolean gl_warned;

  char *summary;
  gint64 last_summary_us;
  gboolean dirty;
};

static void sw_raster_view_live_view_init (SwLiveViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SwRasterView, sw_raster_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SW_TYPE_LIVE_VIEW,
                                                      sw_raster_view_live_view_init))

enum
{
  PROP_0,
  PROP_WINDOW,
  PROP_PRESENTATION,
  PROP_POINT_SIZE,
  PROP_USE_GL,
  PROP_USES_GL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  NEURON_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Layout and data                                                           */

static double
dt_ms (SwRasterView *self)
{
  return self->hub != NULL ? sw_live_hub_get_dt_ms (self->hub) : 0.1;
}

static double
now_ms (SwRasterView *self)
{
  return self->hub != NULL ? sw_live_hub_get_time_ms (self->hub) : 0.0;
}

/* Lays the populations of @spec out for @rows pixel rows. */
static void
layout_update (Layout *layout, const SwNetSpec *spec, int rows)
{
  int n_pops = spec != NULL ? spec->n_pops : 0;
  int total = 0;
  int *offset = g_new (int, MAX (n_pops, 1));

  for (int p = 0; p < n_pops; p++)
    {
      offset[p] = spec->pops[p].kind == SW_POP_NEURONS ? total : -1;
      if (offset[p] >= 0)
        total += spec->pops[p].n;
    }
  int stride = rows > 0 && total > rows ? (total + rows - 1) / rows : 1;

  gboolean same = layout->n_pops == n_pops && layout->total == total && layout->stride == stride
                  && (n_pops == 0 || memcmp (layout->offset, offset, n_pops * sizeof *offset) == 0);
  if (same)
    {
      g_free (offset);
      return;
    }
  g_free (layout->offset);
  layout->offset = offset;
  layout->n_pops = n_pops;
  layout->total = total;
  layout->stride = stride;
  layout->generation++;
}

static gboolean
shown (const Layout *layout, const SwSpike *s)
{
  return s->pop >= 0 && s->pop < layout->n_pops && layout->offset[s->pop] >= 0
         && s->neuron % layout->stride == 0;
}

/* The absolute number of the first kept spike at or after @t_ms. */
static guint64
first_after (SwRasterView *self, double t_ms)
{
  double dt = dt_ms (self);
  guint lo = 0, hi = self->history->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (self->history, SwSpike, mid).step * dt < t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  return self->hist_base + lo;
}

static void
trim_history (SwRasterView *self)
{
  guint64 keep = first_after (self, now_ms (self) - MAX_WINDOW_S * 1e3);
  guint drop = (guint) (keep - self->hist_base);
  /* In bulk, not every frame: removing from the front moves the rest. */
  if (drop > 4096 && drop > self->history->len / 4)
    {
      g_array_remove_range (self->history, 0, drop);
      self->hist_base += drop;
    }
}

static void
style_colours (SwRasterView *self, SwRgba *e, SwRgba *i)
{
  sw_live_style (GTK_WIDGET (self), self->presentation, NULL, e, i);
}

/* Below this, ticks and diamonds look alike: marks never get smaller, so
 * that the populations differ by shape and not by colour alone. */
#define MIN_MARK_PX 3.0

static double
mark_size (SwRasterView *self)
{
  if (self->point_size > 0)
    {
      double size = MAX (self->point_size, MIN_MARK_PX);
      return self->presentation ? size * SW_PLOT_PRESENTATION_SCALE : size;
    }
  /* About one row of the sample, but never so small that the shape is
   * lost. */
  double rows = self->layout.total > 0 ? (double) self->layout.total / self->layout.stride : 1.0;
  double size = self->have_plot ? self->plot.size.height / MAX (rows, 1.0) : 3.0;
  size = CLAMP (size, MIN_MARK_PX, 6.0);
  return self->presentation ? size * SW_PLOT_PRESENTATION_SCALE : size;
}

/* ------------------------------------------------------------------------ */
/* GL                                                                        */

static const char vertex_src[] =
  "in vec2 a_pos;\n"
  "in float a_kind;\n"
  "uniform float u_t0, u_t1, u_y0, u_y1, u_size;\n"
  "out float v_kind;\n"
  "void main ()\n"
  "{\n"
  "  float x = (a_pos.x - u_t0) / (u_t1 - u_t0) * 2.0 - 1.0;\n"
  "  float y = (a_pos.y - u_y0) / (u_y1 - u_y0) * 2.0 - 1.0;\n"
  "  gl_Position = vec4 (x, y, 0.0, 1.0);\n"
  "  gl_PointSize = u_size;\n"
  "  v_kind = a_kind;\n"
  "}\n";

/* Colours arrive premultiplied, as GTK composites the area's texture. */
static const char fragment_src[] =
  "in float v_kind;\n"
  "uniform vec4 u_colour_e, u_colour_i;\n"
  "out vec4 out_colour;\n"
  "void main ()\n"
  "{\n"
  "  vec2 d = abs (gl_PointCoord - vec2 (0.5));\n"
  "  if (v_kind < 0.5)\n"
  "    {\n"
  "      if (d.x > 0.2)\n"
  "        discard;\n"
  "      out_colour = u_colour_e;\n"
  "    }\n"
  "  else\n"
  "    {\n"
  "      if (d.x + d.y > 0.55)\n"
  "        discard;\n"
  "      out_colour = u_colour_i;\n"
  "    }\n"
  "}\n";

static GLuint
compile (GLenum type, gboolean es, const char *body, GError **error)
{
  const char *header = es ? "#version 300 es\nprecision mediump float;\n" : "#version 150\n";
  const char *sources[2] = { header, body };
  GLuint shader = glCreateShader (type);
  GLint ok = 0;

  glShaderSource (shader, 2, sources, NULL);
  glCompileShader (shader);
  glGetShaderiv (shader, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";
      glGetShaderInfoLog (shader, sizeof log, NULL, log);
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_COMPILATION_FAILED,
                   "%s shader: %s", type == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
      glDeleteShader (shader);
      return 0;
    }
  return shader;
}

static gboolean
gl_setup (SwRasterView *self, GError **error)
{
  GdkGLContext *context = gtk_gl_area_get_context (self->gl_area);
  gboolean es = gdk_gl_context_get_use_es (context);
  int major, minor;

  gdk_gl_context_get_version (context, &major, &minor);
  if (gdk_gl_context_is_legacy (context) || (es && major < 3) || (!es && (major * 10 + minor) < 32))
    {
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_NOT_AVAILABLE,
                   "OpenGL %s%d.%d is too old for the raster", es ? "ES " : "", major, minor);
      return FALSE;
    }

  GLuint vs = compile (GL_VERTEX_SHADER, es, vertex_src, error);
  if (vs == 0)
    return FALSE;
  GLuint fs = compile (GL_FRAGMENT_SHADER, es, fragment_src, error);
  if (fs == 0)
    {
      glDeleteShader (vs);
      return FALSE;
    }
  self->program = glCreateProgram ();
  glAttachShader (self->program, vs);
  glAttachShader (self->program, fs);
  glBindAttribLocation (self->program, 0, "a_pos");
  glBindAttribLocation (self->program, 1, "a_kind");
  glLinkProgram (self->program);
  glDetachShader (self->program, vs);
  glDetachShader (self->program, fs);
  glDeleteShader (vs);
  glDeleteShader (fs);
  GLint ok = 0;
  glGetProgramiv (self->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";
      glGetProgramInfoLog (self->program, sizeof log, NULL, log);
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_LINK_FAILED, "raster program: %s", log);
      return FALSE;
    }
  self->u_t0 = glGetUniformLocation (self->program, "u_t0");
  self->u_t1 = glGetUniformLocation (self->program, "u_t1");
  self->u_y0 = glGetUniformLocation (self->program, "u_y0");
  self->u_y1 = glGetUniformLocation (self->program, "u_y1");
  self->u_size = glGetUniformLocation (self->program, "u_size");
  self->u_colour_e = glGetUniformLocation (self->program, "u_colour_e");
  self->u_colour_i = glGetUniformLocation (self->program, "u_colour_i");

  glGenVertexArrays (1, &self->vao);
  glBindVertexArray (self->vao);
  glGenBuffers (1, &self->vbo);
  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  glBufferData (GL_ARRAY_BUFFER, VBO_CAPACITY * sizeof (Vertex), NULL, GL_DYNAMIC_DRAW);
  glEnableVertexAttribArray (0);
  glVertexAttribPointer (0, 2, GL_FLOAT, GL_FALSE, sizeof (Vertex), (void *) G_STRUCT_OFFSET (Vertex, t_ms));
  glEnableVertexAttribArray (1);
  glVertexAttribPointer (1, 1, GL_FLOAT, GL_FALSE, sizeof (Vertex), (void *) G_STRUCT_OFFSET (Vertex, kind));
  glBindVertexArray (0);
  glBindBuffer (GL_ARRAY_BUFFER, 0);

  GLenum gl_error = glGetError ();
  if (gl_error != GL_NO_ERROR)
    {
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_NOT_AVAILABLE,
                   "setting up the raster failed (GL error 0x%x)", gl_error);
      return FALSE;
    }
  self->vbo_head = 0;
  self->vbo_count = 0;
  self->uploaded = 0;
  self->uploaded_generation = 0;
  return TRUE;
}

static void
gl_teardown (SwRasterView *self)
{
  if (self->vbo != 0)
    glDeleteBuffers (1, &self->vbo);
  if (self->vao != 0)
    glDeleteVertexArrays (1, &self->vao);
  if (self->program != 0)
    glDeleteProgram (self->program);
  self->vbo = self->vao = self->program = 0;
  self->vbo_count = 0;
  self->vbo_head = 0;
}

static gboolean
hide_gl_area_cb (gpointer data)
{
  SwRasterView *self = data;
  if (!self->gl_ok)
    gtk_widget_set_visible (GTK_WIDGET (self->gl_area), FALSE);
  return G_SOURCE_REMOVE;
}

/* Switches to cairo for good (until "use-gl" is set again).  The area is
 * hidden from an idle: this runs inside its realize or render. */
static void
fall_back (SwRasterView *self, const GError *error)
{
  if (!self->gl_warned && error != NULL)
    g_message ("Drawing the raster with cairo: %s", error->message);
  self->gl_warned = TRUE;
  self->gl_ok = FALSE;
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, hide_gl_area_cb, g_object_ref (self), g_object_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USES_GL]);
}

static void
gl_realize_cb (GtkGLArea *area, SwRasterView *self)
{
  g_autoptr (GError) error = NULL;

  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    {
      fall_back (self, gtk_gl_area_get_error (area));
      return;
    }
  if (!gl_setup (self, &error))
    {
      gl_teardown (self);
      gtk_gl_area_set_error (area, error);
      fall_back (self, error);
      return;
    }
  self->gl_ok = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USES_GL]);
}

static void
gl_unrealize_cb (GtkGLArea *area, SwRasterView *self)
{
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) == NULL)
    gl_teardown (self);
  self->gl_ok = FALSE;
}

/* Writes @n vertices at the head of the circular buffer. */
static void
vbo_write (SwRasterView *self, const Vertex *v, guint n)
{
  while (n > 0)
    {
      guint part = MIN (n, VBO_CAPACITY - self->vbo_head);
      glBufferSubData (GL_ARRAY_BUFFER, (GLintptr) self->vbo_head * sizeof (Vertex),
                       (GLsizeiptr) part * sizeof (Vertex), v);
      for (guint k = 0; k < part; k++)
        self->vbo_t[self->vbo_head + k] = v[k].t_ms;
      self->vbo_head = (self->vbo_head + part) % VBO_CAPACITY;
      self->vbo_count = MIN (VBO_CAPACITY, self->vbo_count + part);
      v += part;
      n -= part;
    }
}

static void
upload (SwRasterView *self)
{
  double dt = dt_ms (self);
  guint64 end = self->hist_base + self->history->len;

  if (self->uploaded_generation != self->layout.generation)
    {
      /* A new sample of neurons: the whole window again. */
      self->vbo_head = 0;
      self->vbo_count = 0;
      self->uploaded = first_after (self, now_ms (self) - self->window_s * 1e3);
      self->uploaded_generation = self->layout.generation;
    }
  self->uploaded = MAX (self->uploaded, self->hist_base);

  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  guint n = 0;
  for (guint64 a = self->uploaded; a < end; a++)
    {
      const SwSpike *s = &g_array_index (self->history, SwSpike, a - self->hist_base);
      if (!shown (&self->layout, s))
        continue;
      self->staging[n++] = (Vertex) { (float) (s->step * dt),
                                      (float) (self->layout.offset[s->pop] + s->neuron),
                                      sw_live_hub_get_spec (self->hub)->pops[s->pop].inhibitory ? 1.0f : 0.0f };
      if (n == UPLOAD_BATCH)
        {
          vbo_write (self, self->staging, n);
          n = 0;
        }
    }
  if (n > 0)
    vbo_write (self, self->staging, n);
  self->uploaded = end;
  glBindBuffer (GL_ARRAY_BUFFER, 0);
}

/* The oldest slot, counted from the oldest valid one, whose time is at or
 * after @t (slots hold nondecreasing times in order). */
static guint
first_slot_after (SwRasterView *self, float t)
{
  guint start = (self->vbo_head + VBO_CAPACITY - self->vbo_count) % VBO_CAPACITY;
  guint lo = 0, hi = self->vbo_count;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (self->vbo_t[(start + mid) % VBO_CAPACITY] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
set_colour (GLint location, const SwRgba *c)
{
  /* Premultiplied. */
  glUniform4f (location, c->r * c->a, c->g * c->a, c->b * c->a, c->a);
}

static gboolean
gl_render_cb (GtkGLArea *area, GdkGLContext *context, SwRasterView *self)
{
  glClearColor (0, 0, 0, 0);
  glClear (GL_COLOR_BUFFER_BIT);
  if (!self->gl_ok || self->hub == NULL || self->layout.total == 0)
    return TRUE;

  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  glViewport (0, 0, gtk_widget_get_width (GTK_WIDGET (area)) * scale,
              gtk_widget_get_height (GTK_WIDGET (area)) * scale);

  upload (self);

  double t1 = MAX (now_ms (self), self->window_s * 1e3);
  double t0 = t1 - self->window_s * 1e3;
  SwRgba e, i;
  style_colours (self, &e, &i);

  glUseProgram (self->program);
  glUniform1f (self->u_t0, (float) t0);
  glUniform1f (self->u_t1, (float) t1);
  glUniform1f (self->u_y0, -0.5f);
  glUniform1f (self->u_y1, self->layout.total - 0.5f);
  glUniform1f (self->u_size, (float) (mark_size (self) * scale));
  set_colour (self->u_colour_e, &e);
  set_colour (self->u_colour_i, &i);
  if (!gdk_gl_context_get_use_es (context))
    glEnable (GL_PROGRAM_POINT_SIZE);
  glEnable (GL_BLEND);
  glBlendFunc (GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

  /* Only the marks inside the window, in at most two runs of the ring. */
  guint skip = first_slot_after (self, (float) t0 - 1.0f);
  guint count = self->vbo_count - skip;
  guint start = (self->vbo_head + VBO_CAPACITY - self->vbo_count + skip) % VBO_CAPACITY;
  glBindVertexArray (self->vao);
  if (count > 0)
    {
      guint first_run = MIN (count, VBO_CAPACITY - start);
      glDrawArrays (GL_POINTS, (GLint) start, (GLsizei) first_run);
      if (first_run < count)
        glDrawArrays (GL_POINTS, 0, (GLsizei) (count - first_run));
    }
  glBindVertexArray (0);
  glUseProgram (0);
  glDisable (GL_BLEND);

  GLenum gl_error = glGetError ();
  if (gl_error != GL_NO_ERROR)
    {
      g_autoptr (GError) error = g_error_new (GDK_GL_ERROR, GDK_GL_ERROR_NOT_AVAILABLE,
                                              "drawing the raster failed (GL error 0x%x)", gl_error);
      fall_back (self, error);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Axes, cairo marks, labels                                                 */

static void
setup_axes (SwRasterView *self, SwFigure *fig, double t0, double t1)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  sw_panel_clear (p);
  sw_panel_set_legend (p, SW_LEGEND_NONE);
  sw_panel_set_grid (p, FALSE);
  sw_panel_set_x_label (p, _("Time"), "s");
  sw_panel_set_y_label (p, _("Neuron"), NULL);
  sw_panel_set_y_integer (p, TRUE);
  sw_panel_set_x_limits (p, t0 * 1e-3, t1 * 1e-3);
  sw_panel_set_y_limits (p, -0.5, MAX (self->layout.total, 1) - 0.5);
}

static gboolean
plot_rect (SwFigure *fig, double t0, double t1, double y0, double y1, graphene_rect_t *rect)
{
  double ax, ay, bx, by;
  if (!sw_figure_data_to_pixel (fig, 0, 0, t0 * 1e-3, y0, &ax, &ay)
      || !sw_figure_data_to_pixel (fig, 0, 0, t1 * 1e-3, y1, &bx, &by))
    return FALSE;
  graphene_rect_init (rect, MIN (ax, bx), MIN (ay, by), fabs (bx - ax), fabs (by - ay));
  return rect->size.width >= 1 && rect->size.height >= 1;
}

/* The plot area for the current size, found by laying the axes out on a
 * recording surface. */
static void
compute_plot (SwRasterView *self, int width, int height)
{
  SwPlotTheme theme;
  sw_live_style (GTK_WIDGET (self), self->presentation, &theme, NULL, NULL);
  sw_figure_set_theme (self->fig, &theme);
  double t1 = MAX (now_ms (self), self->window_s * 1e3), t0 = t1 - self->window_s * 1e3;
  setup_axes (self, self->fig, t0, t1);
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  sw_figure_draw (self->fig, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  self->have_plot = plot_rect (self->fig, t0, t1, -0.5, MAX (self->layout.total, 1) - 0.5, &self->plot);
}

static void
draw_marks_cairo (SwRasterView *self, cairo_t *cr, double t0, double t1, const SwRgba *e,
                  const SwRgba *i)
{
  const SwNetSpec *spec = sw_live_hub_get_spec (self->hub);
  double dt = dt_ms (self);
  double size = mark_size (self);
  double x_scale = self->plot.size.width / (t1 - t0);
  double y_scale = self->plot.size.height / self->layout.total;
  double px = self->plot.origin.x, py = self->plot.origin.y + self->plot.size.height;

  cairo_save (cr);
  cairo_rectangle (cr, self->plot.origin.x, self->plot.origin.y, self->plot.size.width,
                   self->plot.size.height);
  cairo_clip (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int kind = 0; kind < 2; kind++)
    {
      const SwRgba *c = kind ? i : e;
      cairo_new_path (cr);
      for (guint k = (guint) (first_after (self, t0) - self->hist_base); k < self->history->len; k++)
        {
          const SwSpike *s = &g_array_index (self->history, SwSpike, k);
          if (!shown (&self->layout, s) || spec->pops[s->pop].inhibitory != kind)
            continue;
          double x = px + (s->step * dt - t0) * x_scale;
          double y = py - (self->layout.offset[s->pop] + s->neuron + 0.5) * y_scale;
          if (kind == 0)
            cairo_rectangle (cr, x - size * 0.2, y - size * 0.5, MAX (1.0, size * 0.4), size);
          else
            {
              double r = size * 0.55;
              cairo_move_to (cr, x, y - r);
              cairo_line_to (cr, x + r, y);
              cairo_line_to (cr, x, y + r);
              cairo_line_to (cr, x - r, y);
              cairo_close_path (cr);
            }
        }
      cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* Population names at the left edge of their band, each with its marker,
 * and a line between bands. */
static void
draw_labels (SwRasterView *self, GtkSnapshot *snapshot, const SwPlotTheme *theme, const SwRgba *e,
             const SwRgba *i)
{
  const SwNetSpec *spec = sw_live_hub_get_spec (self->hub);
  double y_scale = self->plot.size.height / self->layout.total;
  double bottom = self->plot.origin.y + self->plot.size.height;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &self->plot);
  PangoLayout *pl = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, theme->font_size * theme->scale * PANGO_SCALE);
  pango_layout_set_font_description (pl, font);
  pango_font_description_free (font);

  for (int p = 0; p < spec->n_pops && p < self->layout.n_pops; p++)
    {
      if (self->layout.offset[p] < 0)
        continue;
      const SwRgba *c = spec->pops[p].inhibitory ? i : e;
      double y_lo = bottom - self->layout.offset[p] * y_scale;
      double y_hi = bottom - (self->layout.offset[p] + spec->pops[p].n) * y_scale;
      if (self->layout.offset[p] > 0)
        {
          cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 0.35);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, self->plot.origin.x, round (y_lo) + 0.5);
          cairo_line_to (cr, self->plot.origin.x + self->plot.size.width, round (y_lo) + 0.5);
          cairo_stroke (cr);
        }
      if (y_lo - y_hi < theme->font_size * theme->scale * 1.2)
        continue;

      int tw, th;
      pango_layout_set_text (pl, spec->pops[p].name, -1);
      pango_layout_get_pixel_size (pl, &tw, &th);
      double m = th * 0.8;   /* marker box */
      double bx = self->plot.origin.x + 4, by = y_hi + 4;
      cairo_set_source_rgba (cr, theme->legend_background.r, theme->legend_background.g,
                             theme->legend_background.b, 0.85);
      cairo_rectangle (cr, bx, by, tw + m + 12, th + 2);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, c->r, c->g, c->b, 1.0);
      double cx = bx + 4 + m / 2, cy = by + 1 + th / 2.0;
      if (spec->pops[p].inhibitory)
        {
          cairo_move_to (cr, cx, cy - m / 2);
          cairo_line_to (cr, cx + m / 2, cy);
          cairo_line_to (cr, cx, cy + m / 2);
          cairo_line_to (cr, cx - m / 2, cy);
          cairo_close_path (cr);
        }
      else
        cairo_rectangle (cr, cx - m * 0.15, cy - m / 2, m * 0.3, m);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b,
                             theme->foreground.a);
      cairo_move_to (cr, bx + m + 8, by + 1);
      pango_cairo_show_layout (cr, pl);
    }
  g_object_unref (pl);
  cairo_destroy (cr);
}

static void
update_summary (SwRasterView *self)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  GString *s = g_string_new (NULL);
  guint64 total = 0;

  if (spec == NULL)
    g_string_append (s, _("No network is running."));
  else
    {
      for (int p = 0; p < spec->n_pops && p < sw_live_hub_get_n_pops (self->hub); p++)
        {
          if (spec->pops[p].kind != SW_POP_NEURONS)
            continue;
          if (s->len > 0)
            g_string_append (s, ", ");
          g_string_append_printf (s, _("%s: %.1f Hz"), spec->pops[p].name,
                                  sw_live_hub_get_rate_hz (self->hub, p, 1000.0));
          total += sw_live_hub_get_spike_count (self->hub, p);
        }
      g_string_append_printf (s, " %s; ", _("over the last second"));
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " spike in all",
                                              "%" G_GUINT64_FORMAT " spikes in all", total),
                              total);
      if (self->layout.stride > 1)
        {
          int n_shown = 0;
          for (int p = 0; p < self->layout.n_pops; p++)
            if (self->layout.offset[p] >= 0)
              n_shown += (spec->pops[p].n + self->layout.stride - 1) / self->layout.stride;
          g_string_append (s, "; ");
          /* Translators: how many neurons of all the raster shows. */
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "showing %d of %d neuron",
                                                  "showing %d of %d neurons", self->layout.total),
                                  n_shown, self->layout.total);
        }
      g_string_append (s, ".");
    }
  if (g_strcmp0 (s->str, self->summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_string_free (s, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      self->summary, -1);
    }
  else
    g_string_free (s, TRUE);
}

/* ------------------------------------------------------------------------ */
/* SwLiveView                                                                */

static void
relayout (SwRasterView *self)
{
  guint64 generation = self->layout.generation;
  layout_update (&self->layout, self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL,
                 self->plot_rows);
  if (generation != self->layout.generation)
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      self->dirty = TRUE;
    }
}

static void
raster_view_bind (SwLiveView *view, SwLiveHub *hub)
{
  SwRasterView *self = SW_RASTER_VIEW (view);
  self->hub = hub;
  g_array_set_size (self->history, 0);
  self->hist_base = 0;
  self->uploaded = 0;
  relayout (self);
  self->layout.generation++;
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
raster_view_clear (SwLiveView *view)
{
  SwRasterView *self = SW_RASTER_VIEW (view);
  self->hist_base += self->history->len;
  g_array_set_size (self->history, 0);
  relayout (self);
  /* Upload from scratch, even when the layout stayed. */
  self->layout.generation++;
  self->dirty = TRUE;
  /* Say so at the next frame, not in half a second. */
  self->last_summary_us = 0;
}

static void
raster_view_spikes (SwLiveView *view, const SwSpike *spikes, guint n)
{
  SwRasterView *self = SW_RASTER_VIEW (view);
  g_array_append_vals (self->history, spikes, n);
  self->dirty = TRUE;
}

static void
raster_view_rates (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins,
                   int n_pops)
{
  /* Time moves on even when nobody fires: scroll. */
  SW_RASTER_VIEW (view)->dirty = TRUE;
}

static void
raster_view_frame (SwLiveView *view)
{
  SwRasterView *self = SW_RASTER_VIEW (view);

  if (self->hub == NULL)
    return;
  relayout (self);
  trim_history (self);
  if (sw_live_due (&self->last_summary_us, SUMMARY_INTERVAL_US))
    update_summary (self);
  if (self->dirty)
    {
      self->dirty = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      if (self->gl_ok)
        gtk_gl_area_queue_render (self->gl_area);
    }
}

static void
sw_raster_view_live_view_init (SwLiveViewInterface *iface)
{
  iface->bind = raster_view_bind;
  iface->clear = raster_view_clear;
  iface->spikes = raster_view_spikes;
  iface->rates = raster_view_rates;
  iface->frame = raster_view_frame;
}

/* ------------------------------------------------------------------------ */
/* GtkWidget                                                                 */

static void
sw_raster_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  SwRasterView *self = SW_RASTER_VIEW (widget);

  compute_plot (self, width, height);
  int rows = self->have_plot ? (int) (self->plot.size.height * gtk_widget_get_scale_factor (widget)) : 0;
  if (rows != self->plot_rows)
    {
      self->plot_rows = rows;
      relayout (self);
    }
  /* The GL area covers the plot area only; the axes are cairo's. */
  GtkAllocation child = { 0, 0, 0, 0 };
  if (self->have_plot)
    child = (GtkAllocation) { (int) floor (self->plot.origin.x), (int) floor (self->plot.origin.y),
                              (int) ceil (self->plot.size.width), (int) ceil (self->plot.size.height) };
  gtk_widget_size_allocate (GTK_WIDGET (self->gl_area), &child, -1);
}

static void
sw_raster_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwRasterView *self = SW_RASTER_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  SwPlotTheme theme;
  SwRgba e, i;

  if (w <= 0 || h <= 0)
    return;
  sw_live_style (widget, self->presentation, &theme, &e, &i);
  sw_figure_set_theme (self->fig, &theme);
  double t1 = MAX (now_ms (self), self->window_s * 1e3), t0 = t1 - self->window_s * 1e3;
  setup_axes (self, self->fig, t0, t1);

  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  sw_figure_draw (self->fig, cr, w, h);

  /* The tick labels may have changed the plot area (a wider number): lay
   * the GL area out again for the next frame. */
  graphene_rect_t plot;
  if (plot_rect (self->fig, t0, t1, -0.5, MAX (self->layout.total, 1) - 0.5, &plot)
      && (!self->have_plot || fabs (plot.origin.x - self->plot.origin.x) > 0.5
          || fabs (plot.size.width - self->plot.size.width) > 0.5
          || fabs (plot.size.height - self->plot.size.height) > 0.5))
    {
      self->plot = plot;
      self->have_plot = TRUE;
      gtk_widget_queue_allocate (widget);
    }

  gboolean data = self->hub != NULL && self->have_plot && self->layout.total > 0
                  && sw_live_hub_get_spec (self->hub) != NULL;
  if (data && !self->gl_ok)
    draw_marks_cairo (self, cr, t0, t1, &e, &i);
  cairo_destroy (cr);

  if (self->gl_ok && gtk_widget_get_visible (GTK_WIDGET (self->gl_area)))
    gtk_widget_snapshot_child (widget, GTK_WIDGET (self->gl_area), snapshot);
  if (data)
    draw_labels (self, snapshot, &theme, &e, &i);
}

static void
sw_raster_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  gboolean big = SW_RASTER_VIEW (widget)->presentation;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = big ? 360 : 240;
      *natural = big ? 720 : 560;
    }
  else
    {
      *minimum = big ? 240 : 180;
      *natural = big ? 480 : 360;
    }
}

static void
sw_raster_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sw_raster_view_parent_class)->css_changed (widget, change);
  gtk_widget_queue_allocate (widget);
  gtk_widget_queue_draw (widget);
}

gboolean
sw_raster_view_neuron_at (SwRasterView *self, double x, double y, int *pop, int *neuron)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), FALSE);

  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  double dx, dy;
  if (spec == NULL || self->layout.total == 0
      || !sw_figure_locate (self->fig, x, y, NULL, NULL, &dx, &dy))
    return FALSE;
  int index = (int) lround (dy);
  for (int p = 0; p < self->layout.n_pops && p < spec->n_pops; p++)
    {
      int off = self->layout.offset[p];
      if (off < 0 || index < off || index >= off + spec->pops[p].n)
        continue;
      /* The nearest neuron of the sample: that is the row under the
       * pointer. */
      int stride = self->layout.stride;
      int n = (int) lround ((double) (index - off) / stride) * stride;
      if (n >= spec->pops[p].n)
        n -= stride;
      if (pop != NULL)
        *pop = p;
      if (neuron != NULL)
        *neuron = MAX (n, 0);
      return TRUE;
    }
  return FALSE;
}

static void
click_released_cb (GtkGestureClick *gesture, int n_press, double x, double y, SwRasterView *self)
{
  int pop, neuron;
  if (!sw_raster_view_neuron_at (self, x, y, &pop, &neuron))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[NEURON_ACTIVATED], 0, pop, neuron);
}

static void
sw_raster_view_dispose (GObject *object)
{
  SwRasterView *self = SW_RASTER_VIEW (object);

  if (self->hub != NULL)
    sw_live_hub_remove_view (self->hub, GTK_WIDGET (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_RASTER_VIEW);

  G_OBJECT_CLASS (sw_raster_view_parent_class)->dispose (object);
}

static void
sw_raster_view_finalize (GObject *object)
{
  SwRasterView *self = SW_RASTER_VIEW (object);

  g_array_unref (self->history);
  g_free (self->layout.offset);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_free (self->vbo_t);
  g_free (self->staging);
  g_free (self->summary);

  G_OBJECT_CLASS (sw_raster_view_parent_class)->finalize (object);
}

static void
sw_raster_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwRasterView *self = SW_RASTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_double (value, self->window_s);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_POINT_SIZE:
      g_value_set_double (value, self->point_size);
      break;
    case PROP_USE_GL:
      g_value_set_boolean (value, self->use_gl);
      break;
    case PROP_USES_GL:
      g_value_set_boolean (value, self->gl_ok);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_raster_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SwRasterView *self = SW_RASTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      sw_raster_view_set_window (self, g_value_get_double (value));
      break;
    case PROP_PRESENTATION:
      sw_raster_view_set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_POINT_SIZE:
      sw_raster_view_set_point_size (self, g_value_get_double (value));
      break;
    case PROP_USE_GL:
      sw_raster_view_set_use_gl (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_raster_view_class_init (SwRasterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_raster_view_dispose;
  object_class->finalize = sw_raster_view_finalize;
  object_class->get_property = sw_raster_view_get_property;
  object_class->set_property = sw_raster_view_set_property;
  widget_class->snapshot = sw_raster_view_snapshot;
  widget_class->measure = sw_raster_view_measure;
  widget_class->size_allocate = sw_raster_view_size_allocate;
  widget_class->css_changed = sw_raster_view_css_changed;

  properties[PROP_WINDOW] =
    g_param_spec_double ("window", NULL, NULL, 0.1, MAX_WINDOW_S, 2.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POINT_SIZE] =
    g_param_spec_double ("point-size", NULL, NULL, 0.0, 16.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USE_GL] =
    g_param_spec_boolean ("use-gl", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USES_GL] =
    g_param_spec_boolean ("uses-gl", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NEURON_ACTIVATED] =
    g_signal_new ("neuron-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  sw_live_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spikeworks/Spikeworks/live/sw-raster-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SwRasterView, gl_area);
  gtk_widget_class_bind_template_callback (widget_class, gl_realize_cb);
  gtk_widget_class_bind_template_callback (widget_class, gl_unrealize_cb);
  gtk_widget_class_bind_template_callback (widget_class, gl_render_cb);
  gtk_widget_class_set_css_name (widget_class, "swrasterview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sw_raster_view_init (SwRasterView *self)
{
  self->window_s = 2.0;
  self->use_gl = TRUE;
  self->history = g_array_new (FALSE, FALSE, sizeof (SwSpike));
  self->layout.stride = 1;
  self->fig = sw_figure_new (1, 1);
  self->vbo_t = g_new (float, VBO_CAPACITY);
  self->staging = g_new (Vertex, UPLOAD_BATCH);

  gtk_widget_init_template (GTK_WIDGET (self));

  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  update_summary (self);
}

GtkWidget *
sw_raster_view_new (void)
{
  return g_object_new (SW_TYPE_RASTER_VIEW, NULL);
}

void
sw_raster_view_set_window (SwRasterView *self, double seconds)
{
  g_return_if_fail (SW_IS_RASTER_VIEW (self));

  seconds = CLAMP (seconds, 0.1, MAX_WINDOW_S);
  if (self->window_s == seconds)
    return;
  self->window_s = seconds;
  /* The GL buffer may hold less than the longer window: upload again. */
  self->layout.generation++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->gl_ok)
    gtk_gl_area_queue_render (self->gl_area);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

double
sw_raster_view_get_window (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), 2.0);
  return self->window_s;
}

void
sw_raster_view_set_presentation (SwRasterView *self, gboolean presentation)
{
  g_return_if_fail (SW_IS_RASTER_VIEW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  if (self->gl_ok)
    gtk_gl_area_queue_render (self->gl_area);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

gboolean
sw_raster_view_get_presentation (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), FALSE);
  return self->presentation;
}

void
sw_raster_view_set_point_size (SwRasterView *self, double size)
{
  g_return_if_fail (SW_IS_RASTER_VIEW (self));

  size = CLAMP (size, 0.0, 16.0);
  if (self->point_size == size)
    return;
  self->point_size = size;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->gl_ok)
    gtk_gl_area_queue_render (self->gl_area);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINT_SIZE]);
}

double
sw_raster_view_get_point_size (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), 0.0);
  return self->point_size;
}

void
sw_raster_view_set_use_gl (SwRasterView *self, gboolean use_gl)
{
  g_return_if_fail (SW_IS_RASTER_VIEW (self));

  use_gl = !!use_gl;
  if (self->use_gl == use_gl)
    return;
  self->use_gl = use_gl;
  /* Showing the area again realizes it (and tries GL afresh); hiding it
   * leaves the marks to cairo. */
  self->gl_warned = FALSE;
  if (!use_gl)
    {
      self->gl_ok = FALSE;
      if (gtk_widget_get_realized (GTK_WIDGET (self->gl_area)))
        gtk_widget_unrealize (GTK_WIDGET (self->gl_area));
      gtk_widget_set_visible (GTK_WIDGET (self->gl_area), FALSE);
    }
  else
    {
      self->layout.generation++;
      gtk_widget_set_visible (GTK_WIDGET (self->gl_area), TRUE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_GL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USES_GL]);
}

gboolean
sw_raster_view_get_use_gl (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), FALSE);
  return self->use_gl;
}

gboolean
sw_raster_view_get_uses_gl (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), FALSE);
  return self->gl_ok;
}

int
sw_raster_view_get_stride (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), 1);
  return self->layout.stride;
}

const char *
sw_raster_view_get_summary (SwRasterView *self)
{
  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), NULL);
  return self->summary;
}

GArray *
sw_raster_view_copy_kept (SwRasterView *self, double *t0_ms, double *t1_ms)
{
  GArray *out;
  guint first;

  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), NULL);

  *t1_ms = now_ms (self);
  *t0_ms = MAX (0.0, *t1_ms - MAX_WINDOW_S * 1e3);
  first = (guint) (first_after (self, *t0_ms) - self->hist_base);
  out = g_array_sized_new (FALSE, FALSE, sizeof (SwSpike), self->history->len - first);
  g_array_append_vals (out, self->history->data + (gsize) first * sizeof (SwSpike),
                       self->history->len - first);
  return out;
}

static gboolean
export_csv (SwRasterView *self, const char *path, const SwNetSpec *spec, guint first, GError **error)
{
  g_autoptr (GString) csv = g_string_new ("time_ms,population,neuron\n");
  double dt = dt_ms (self);

  for (guint k = first; k < self->history->len; k++)
    {
      const SwSpike *s = &g_array_index (self->history, SwSpike, k);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.4f", s->step * dt));
      g_string_append_printf (csv, ",%s,%d\n", spec->pops[s->pop].name, s->neuron);
    }
  return sw_live_export_text (path, csv->str, csv->len, error);
}

gboolean
sw_raster_view_export (SwRasterView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;

  g_return_val_if_fail (SW_IS_RASTER_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  if (spec == NULL || self->layout.n_pops == 0)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There are no spikes to export yet: run the network first"));
      return FALSE;
    }
  double t1 = MAX (now_ms (self), self->window_s * 1e3), t0 = t1 - self->window_s * 1e3;
  guint first = (guint) (first_after (self, t0) - self->hist_base);
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, spec, first, error);

  int w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));
  w = w > 100 ? w : 720;
  h = h > 100 ? h : 480;
  /* The sample for the figure's own height, as on screen. */
  Layout layout = { 0 };
  layout_update (&layout, spec, MAX (50, h - 80));

  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *panel = sw_figure_panel (fig, 0, 0);
  Layout saved = self->layout;
  self->layout = layout;
  setup_axes (self, fig, t0, t1);
  self->layout = saved;
  sw_panel_set_legend (panel, SW_LEGEND_OUTSIDE);

  double dt = dt_ms (self);
  for (int p = 0; p < spec->n_pops && p < layout.n_pops; p++)
    {
      if (layout.offset[p] < 0)
        continue;
      GArray *xs = g_array_new (FALSE, FALSE, sizeof (double));
      GArray *ys = g_array_new (FALSE, FALSE, sizeof (int));
      for (guint k = first; k < self->history->len; k++)
        {
          const SwSpike *s = &g_array_index (self->history, SwSpike, k);
          if (s->pop != p || !shown (&layout, s))
            continue;
          double x = s->step * dt * 1e-3;
          int y = layout.offset[p] + s->neuron;
          g_array_append_val (xs, x);
          g_array_append_val (ys, y);
        }
      SwStyle style = { 0 };
      style.marker = spec->pops[p].inhibitory ? SW_MARKER_DIAMOND : SW_MARKER_TICK;
      style.marker_size = 0.6;
      sw_panel_add_raster (panel, (double *) xs->data, (int *) ys->data, xs->len, spec->pops[p].name,
                           &style, NULL);
      g_array_unref (xs);
      g_array_unref (ys);
    }
  g_free (layout.offset);

  gboolean ok = sw_live_export_figure (fig, path, w, h, error);
  sw_figure_free (fig);
  return ok;
}
