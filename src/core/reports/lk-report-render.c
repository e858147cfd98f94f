/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-report"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "lk-error.h"
#include "lk-format.h"
#include "lk-report-private.h"
#include "lk-report-render.h"
#include "lk-vocabulary.h"

/* Every chart is a bar chart over categories with one or two series:
 * horizontal bars (the funnel centred, like a funnel), or vertical bars
 * for the weeks. chart_new() turns a report into that shape; layout()
 * places the bars, and both drawing and hit-testing use it. */

#define FONT_PX       12.0
#define SMALL_PX      10.5
#define LEGEND_H      22.0
#define AXIS_H        34.0
#define NO_ITEM       (-1)

typedef enum
{
  VALUE_COUNT,
  VALUE_MONEY,
  VALUE_DAYS,
} ValueKind;

typedef struct
{
  LkReportTableKind  kind;
  gboolean           vertical;
  gboolean           centred;
  ValueKind          value_kind;
  guint              n_series;
  const char        *series_names[2];
  const char        *axis_title;
  const char        *currency;
  GPtrArray         *labels;      /* char * per category */
  GPtrArray         *notes;       /* char * per category: shown at the bar's end */
  GArray            *values[2];   /* double per category */
} Chart;

typedef struct
{
  double x, y, w, h;
} Rect;

static void
chart_free (Chart *chart)
{
  g_clear_pointer (&chart->labels, g_ptr_array_unref);
  g_clear_pointer (&chart->notes, g_ptr_array_unref);
  for (guint s = 0; s < 2; s++)
    g_clear_pointer (&chart->values[s], g_array_unref);
  g_free (chart);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chart, chart_free)

static char *
format_value (const Chart *chart,
              double       value,
              gboolean     exact)
{
  if (isnan (value))
    return g_strdup ("—");
  switch (chart->value_kind)
    {
    case VALUE_MONEY:
      return exact ? lk_format_money ((gint64) llround (value), chart->currency)
                   : lk_format_money_short ((gint64) llround (value), chart->currency);
    case VALUE_DAYS:
      return g_strdup_printf (_("%.1f d"), value);
    case VALUE_COUNT:
    default:
      return g_strdup_printf ("%.0f", value);
    }
}

static char *
format_rate (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f %%", value * 100);
}

static void
add (Chart      *chart,
     const char *label,
     double      v0,
     double      v1,
     char       *note)
{
  g_ptr_array_add (chart->labels, g_strdup (label));
  g_ptr_array_add (chart->notes, note);
  g_array_append_val (chart->values[0], v0);
  g_array_append_val (chart->values[1], v1);
}

static Chart *
chart_new (LkReport          *report,
           LkReportTableKind  kind)
{
  g_autoptr(Chart) chart = g_new0 (Chart, 1);

  chart->kind = kind;
  chart->n_series = 1;
  chart->currency = lk_report_get_currency (report);
  chart->labels = g_ptr_array_new_with_free_func (g_free);
  chart->notes = g_ptr_array_new_with_free_func (g_free);
  for (guint s = 0; s < 2; s++)
    chart->values[s] = g_array_new (FALSE, FALSE, sizeof (double));

  switch (kind)
    {
    case LK_REPORT_FUNNEL:
      {
        GPtrArray *rows = lk_report_get_funnel (report);

        chart->centred = TRUE;
        chart->series_names[0] = _("Leads that reached the stage");
        chart->axis_title = _("Leads");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportFunnelRow *row = g_ptr_array_index (rows, i);
            g_autofree char *rate = format_rate (row->conversion);

            add (chart, row->name, row->reached, 0,
                 i + 1 < rows->len ? g_strdup_printf (_("→ %s"), rate) : NULL);
          }
      }
      break;
    case LK_REPORT_SOURCES:
      {
        GPtrArray *rows = lk_report_get_sources (report);

        chart->n_series = 2;
        chart->series_names[0] = _("Leads");
        chart->series_names[1] = _("Won");
        chart->axis_title = _("Leads");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportSourceRow *row = g_ptr_array_index (rows, i);
            g_autofree char *rate = format_rate (row->conversion);

            add (chart, row->source[0] ? lk_vocabulary_source_name (row->source) : _("No source"),
                 row->leads, row->won,
                 g_strdup (rate));
          }
      }
      break;
    case LK_REPORT_WEEKLY:
      {
        GArray *rows = lk_report_get_weeks (report);

        chart->vertical = TRUE;
        chart->n_series = 2;
        chart->series_names[0] = _("New leads");
        chart->series_names[1] = _("Won");
        chart->axis_title = _("Leads");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportWeekRow *row = &g_array_index (rows, LkReportWeekRow, i);
            g_autofree char *label = lk_format_date_short (row->start_ms, lk_report_get_timezone (report));

            add (chart, label, row->new_leads, row->won, NULL);
          }
      }
      break;
    case LK_REPORT_LEADERBOARD:
      {
        GPtrArray *rows = lk_report_get_reps (report);

        chart->value_kind = VALUE_MONEY;
        chart->series_names[0] = _("Won amount");
        chart->axis_title = _("Won amount");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportRepRow *row = g_ptr_array_index (rows, i);

            add (chart, row->name, row->won_amount, 0,
                 g_strdup_printf (_("%d won · %d follow-ups"), (int) row->won, (int) row->followups));
          }
      }
      break;
    case LK_REPORT_STAGE_TIME:
      {
        GPtrArray *rows = lk_report_get_stage_times (report);

        chart->value_kind = VALUE_DAYS;
        chart->series_names[0] = _("Average days in the stage");
        chart->axis_title = _("Days");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportStageTimeRow *row = g_ptr_array_index (rows, i);

            add (chart, row->name, row->avg_days, 0,
                 g_strdup_printf (_("%d stays"), (int) row->stays));
          }
      }
      break;
    case LK_REPORT_LOST_REASONS:
      {
        GPtrArray *rows = lk_report_get_lost_reasons (report);

        chart->series_names[0] = _("Leads lost");
        chart->axis_title = _("Leads");
        for (guint i = 0; i < rows->len; i++)
          {
            LkReportReasonRow *row = g_ptr_array_index (rows, i);

            add (chart, row->label, row->count, 0, NULL);
          }
      }
      break;
    case LK_REPORT_MONTHLY:
    case LK_REPORT_N_TABLES:
    default:
      return NULL;
    }
  return g_steal_pointer (&chart);
}

static double
chart_max (const Chart *chart)
{
  double max = 0;

  for (guint s = 0; s < chart->n_series; s++)
    for (guint i = 0; i < chart->values[s]->len; i++)
      {
        double v = g_array_index (chart->values[s], double, i);

        if (!isnan (v))
          max = MAX (max, v);
      }
  return max;
}

/* A round step for about four grid lines. */
static double
nice_step (double max)
{
  double raw = max / 4, magnitude, f;

  if (raw <= 0)
    return 1;
  magnitude = pow (10, floor (log10 (raw)));
  f = raw / magnitude;
  if (f <= 1)
    f = 1;
  else if (f <= 2)
    f = 2;
  else if (f <= 5)
    f = 5;
  else
    f = 10;
  return f * magnitude;
}

static double
axis_max (const Chart *chart,
          double      *step)
{
  double max = chart_max (chart);

  *step = nice_step (max);
  if (chart->value_kind == VALUE_COUNT)
    *step = MAX (*step, 1);
  return MAX (*step, ceil (max / *step) * *step);
}

/* The plot area and the label column, for a chart of @width × @height. */
static void
layout_plot (const Chart *chart,
             double       width,
             double       height,
             Rect        *plot,
             double      *label_w,
             double      *note_w)
{
  double top = chart->n_series > 1 ? LEGEND_H + 6 : 8;

  *label_w = chart->vertical ? 0 : MIN (width * 0.28, 150);
  *note_w = chart->vertical ? 0 : MIN (width * 0.22, 130);
  plot->x = chart->vertical ? 44 : *label_w + 8;
  plot->y = top;
  plot->w = MAX (10, width - plot->x - *note_w - 8);
  plot->h = MAX (10, height - top - AXIS_H);
}

/* Where item @item (category × n_series + series) is drawn. */
static Rect
layout_item (const Chart *chart,
             const Rect  *plot,
             double       max,
             guint        item)
{
  guint n = chart->labels->len;
  guint cat = item / chart->n_series, s = item % chart->n_series;
  double v = g_array_index (chart->values[s], double, cat);
  double frac = isnan (v) || max <= 0 ? 0 : v / max;
  Rect r;

  if (chart->vertical)
    {
      double band = plot->w / n;
      double bar = band * 0.8 / chart->n_series;

      r.w = bar;
      r.h = frac * plot->h;
      r.x = plot->x + band * cat + band * 0.1 + bar * s;
      r.y = plot->y + plot->h - r.h;
    }
  else
    {
      double band = plot->h / n;
      double bar = MIN (band * 0.72 / chart->n_series, 28);

      r.h = bar;
      r.w = frac * plot->w;
      r.x = chart->centred ? plot->x + (plot->w - r.w) / 2 : plot->x;
      r.y = plot->y + band * cat + (band - bar * chart->n_series) / 2 + bar * s;
    }
  return r;
}

void
lk_chart_style_init (LkChartStyle *style,
                     gboolean      dark)
{
  /* The GNOME palette: blue 3 / orange 4 on light, blue 1 / orange 2 on
   * dark; the second series is hatched too, so colour is never the
   * only difference. */
  static const LkChartStyle light = {
    { 0.14, 0.12, 0.19, 1 }, { 0.14, 0.12, 0.19, 0.45 }, { 1, 1, 1, 1 },
    { { 0.21, 0.52, 0.89, 1 }, { 0.90, 0.38, 0.0, 1 } }, { 0.14, 0.12, 0.19, 1 }, FALSE,
  };
  static const LkChartStyle night = {
    { 1, 1, 1, 1 }, { 1, 1, 1, 0.45 }, { 0.14, 0.14, 0.14, 1 },
    { { 0.6, 0.76, 0.95, 1 }, { 1.0, 0.75, 0.44, 1 } }, { 1, 1, 1, 1 }, TRUE,
  };

  g_return_if_fail (style != NULL);
  *style = dark ? night : light;
}

static void
set_rgba (cairo_t      *cr,
          const LkRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static void
text_at (cairo_t      *cr,
         const char   *text,
         double        x,
         double        y,
         double        max_w,
         double        px,
         PangoAlignment align,
         gboolean      bold,
         const LkRgba *colour)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (MAX (1, max_w) * PANGO_SCALE));
  pango_layout_set_alignment (layout, align);
  pango_layout_get_pixel_size (layout, &w, &h);
  set_rgba (cr, colour);
  cairo_move_to (cr, x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
fill_bar (cairo_t            *cr,
          const Rect         *r,
          guint               series,
          const LkChartStyle *style)
{
  set_rgba (cr, &style->series[series]);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_fill (cr);
  if (series == 1)
    {
      /* Hatching: the second series differs by pattern as well. */
      cairo_save (cr);
      cairo_rectangle (cr, r->x, r->y, r->w, r->h);
      cairo_clip (cr);
      set_rgba (cr, &style->bg);
      cairo_set_line_width (cr, 1.5);
      for (double d = -r->h; d < r->w; d += 6)
        {
          cairo_move_to (cr, r->x + d, r->y + r->h);
          cairo_line_to (cr, r->x + d + r->h, r->y);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
    }
}

static void
draw_legend (cairo_t            *cr,
             const Chart        *chart,
             double              width,
             const LkChartStyle *style)
{
  double x = 8;

  for (guint s = 0; s < chart->n_series; s++)
    {
      Rect swatch = { x, 5, 14, 12 };

      fill_bar (cr, &swatch, s, style);
      set_rgba (cr, &style->fg);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, swatch.x + 0.5, swatch.y + 0.5, swatch.w - 1, swatch.h - 1);
      cairo_stroke (cr);
      text_at (cr, chart->series_names[s], x + 20, 11, width / 2 - 30, SMALL_PX,
               PANGO_ALIGN_LEFT, FALSE, &style->fg);
      x += width / 2;
    }
}

void
lk_report_chart_draw (LkReport           *report,
                      LkReportTableKind   kind,
                      cairo_t            *cr,
                      double              width,
                      double              height,
                      const LkChartStyle *style,
                      int                 hover)
{
  g_autoptr(Chart) chart = NULL;
  double max, step, label_w, note_w;
  Rect plot;
  guint n;

  g_return_if_fail (LK_IS_REPORT (report));
  g_return_if_fail (cr != NULL && style != NULL);

  chart = chart_new (report, kind);
  if (chart == NULL)
    return;
  n = chart->labels->len;
  max = 0;
  for (guint i = 0; i < n; i++)
    for (guint s = 0; s < chart->n_series; s++)
      if (g_array_index (chart->values[s], double, i) > 0)
        max = 1;
  if (n == 0 || max == 0)
    {
      text_at (cr, _("Nothing in this period"), 0, height / 2, width, FONT_PX,
               PANGO_ALIGN_CENTER, FALSE, &style->dim);
      return;
    }
  cairo_save (cr);
  max = axis_max (chart, &step);
  layout_plot (chart, width, height, &plot, &label_w, &note_w);
  if (chart->n_series > 1)
    draw_legend (cr, chart, width, style);

  /* Grid lines and the value axis with its ticks. */
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= max + step / 2; v += step)
    {
      double f = v / max;
      g_autofree char *tick = format_value (chart, v, FALSE);

      set_rgba (cr, &style->dim);
      if (chart->vertical)
        {
          double y = round (plot.y + plot.h - f * plot.h) + 0.5;

          cairo_move_to (cr, plot.x, y);
          cairo_line_to (cr, plot.x + plot.w, y);
          cairo_stroke (cr);
          text_at (cr, tick, 0, y, plot.x - 4, SMALL_PX, PANGO_ALIGN_RIGHT, FALSE, &style->dim);
        }
      else if (!chart->centred)
        {
          double x = round (plot.x + f * plot.w) + 0.5;

          cairo_move_to (cr, x, plot.y);
          cairo_line_to (cr, x, plot.y + plot.h);
          cairo_stroke (cr);
          text_at (cr, tick, x - 40, plot.y + plot.h + 9, 80, SMALL_PX, PANGO_ALIGN_CENTER, FALSE, &style->dim);
        }
    }
  text_at (cr, chart->axis_title, chart->vertical ? 0 : plot.x, height - 8,
           chart->vertical ? width : plot.w, SMALL_PX,
           chart->vertical ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER, TRUE, &style->dim);

  /* Bars, their values, the category labels and the notes. */
  for (guint item = 0; item < n * chart->n_series; item++)
    {
      Rect r = layout_item (chart, &plot, max, item);
      guint cat = item / chart->n_series, s = item % chart->n_series;
      g_autofree char *value = format_value (chart, g_array_index (chart->values[s], double, cat), FALSE);

      fill_bar (cr, &r, s, style);
      if ((int) item == hover)
        {
          set_rgba (cr, &style->highlight);
          cairo_set_line_width (cr, 2);
          cairo_rectangle (cr, r.x - 1, r.y - 1, r.w + 2, r.h + 2);
          cairo_stroke (cr);
        }
      if (chart->vertical)
        {
          if (r.w >= 18)
            text_at (cr, value, r.x - 10, r.y - 8, r.w + 20, SMALL_PX, PANGO_ALIGN_CENTER, FALSE, &style->fg);
        }
      else
        text_at (cr, value, r.x + r.w + 4, r.y + r.h / 2, plot.x + plot.w - r.x - r.w + note_w, SMALL_PX,
                 PANGO_ALIGN_LEFT, FALSE, &style->fg);
    }
  for (guint cat = 0; cat < n; cat++)
    {
      const char *label = g_ptr_array_index (chart->labels, cat);
      const char *note = g_ptr_array_index (chart->notes, cat);

      if (chart->vertical)
        {
          double band = plot.w / n;
          /* Every label when they fit, else every k-th. */
          guint every = MAX (1, (guint) ceil (70 / band));

          if (cat % every == 0)
            text_at (cr, label, plot.x + band * cat, plot.y + plot.h + 9, band * every, SMALL_PX,
                     PANGO_ALIGN_LEFT, FALSE, &style->fg);
        }
      else
        {
          double band = plot.h / n;
          double y = plot.y + band * cat + band / 2;

          text_at (cr, label, 0, y, label_w, FONT_PX, PANGO_ALIGN_RIGHT, FALSE, &style->fg);
          if (note != NULL)
            text_at (cr, note, width - note_w, y, note_w, SMALL_PX, PANGO_ALIGN_RIGHT, FALSE, &style->dim);
        }
    }
  /* The axis line itself. */
  set_rgba (cr, &style->fg);
  cairo_set_line_width (cr, 1);
  if (chart->vertical)
    {
      cairo_move_to (cr, plot.x, plot.y + plot.h + 0.5);
      cairo_line_to (cr, plot.x + plot.w, plot.y + plot.h + 0.5);
    }
  else if (!chart->centred)
    {
      cairo_move_to (cr, plot.x + 0.5, plot.y);
      cairo_line_to (cr, plot.x + 0.5, plot.y + plot.h);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/**
 * lk_report_chart_hit:
 *
 * Returns: the item (category × series count + series) at (@x, @y): its
 *   bar, or anywhere in its row or column; -1 for none
 */
int
lk_report_chart_hit (LkReport          *report,
                     LkReportTableKind  kind,
                     double             width,
                     double             height,
                     double             x,
                     double             y)
{
  g_autoptr(Chart) chart = NULL;
  double max, step, label_w, note_w;
  Rect plot;
  guint n;

  g_return_val_if_fail (LK_IS_REPORT (report), NO_ITEM);

  chart = chart_new (report, kind);
  if (chart == NULL || chart->labels->len == 0)
    return NO_ITEM;
  n = chart->labels->len;
  max = axis_max (chart, &step);
  layout_plot (chart, width, height, &plot, &label_w, &note_w);
  if (chart->vertical)
    {
      double band = plot.w / n;
      int cat = (int) floor ((x - plot.x) / band);
      int s;

      if (x < plot.x || cat < 0 || cat >= (int) n || y < plot.y || y > plot.y + plot.h)
        return NO_ITEM;
      s = (x - plot.x - band * cat) < band / 2 || chart->n_series == 1 ? 0 : 1;
      return cat * chart->n_series + s;
    }
  for (guint item = 0; item < n * chart->n_series; item++)
    {
      Rect r = layout_item (chart, &plot, max, item);

      if (y >= r.y && y < r.y + r.h && x >= 0 && x <= width)
        return item;
    }
  return NO_ITEM;
}

/* Returns: (transfer full) (nullable): the tooltip of @item: exact values */
char *
lk_report_chart_describe (LkReport          *report,
                          LkReportTableKind  kind,
                          int                item)
{
  g_autoptr(Chart) chart = NULL;
  g_autofree char *value = NULL;
  const char *note;
  guint cat, s;

  g_return_val_if_fail (LK_IS_REPORT (report), NULL);

  chart = chart_new (report, kind);
  if (chart == NULL || item < 0 || (guint) item >= chart->labels->len * chart->n_series)
    return NULL;
  cat = item / chart->n_series;
  s = item % chart->n_series;
  value = format_value (chart, g_array_index (chart->values[s], double, cat), TRUE);
  note = g_ptr_array_index (chart->notes, cat);
  if (note != NULL)
    return g_strdup_printf ("%s\n%s: %s\n%s", (char *) g_ptr_array_index (chart->labels, cat),
                            chart->series_names[s], value, note);
  return g_strdup_printf ("%s\n%s: %s", (char *) g_ptr_array_index (chart->labels, cat),
                          chart->series_names[s], value);
}

/* Returns: (transfer full): the chart in one sentence, for screen readers */
char *
lk_report_chart_summary (LkReport          *report,
                         LkReportTableKind  kind)
{
  g_autoptr(Chart) chart = NULL;
  GString *out;

  g_return_val_if_fail (LK_IS_REPORT (report), NULL);

  out = g_string_new (lk_report_table_title (kind));
  chart = chart_new (report, kind);
  if (chart == NULL)
    return g_string_free (out, FALSE);
  g_string_append (out, ": ");
  for (guint cat = 0; cat < chart->labels->len; cat++)
    {
      g_string_append_printf (out, "%s%s", cat > 0 ? "; " : "", (char *) g_ptr_array_index (chart->labels, cat));
      for (guint s = 0; s < chart->n_series; s++)
        {
          g_autofree char *value = format_value (chart, g_array_index (chart->values[s], double, cat), TRUE);

          g_string_append_printf (out, ", %s %s", chart->series_names[s], value);
        }
    }
  if (chart->labels->len == 0)
    g_string_append (out, _("Nothing in this period"));
  return g_string_free (out, FALSE);
}

static gboolean
cairo_failed (cairo_status_t   status,
              const char      *path,
              GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
               _("“%s” could not be written (%s): choose another folder or file name"),
               path, cairo_status_to_string (status));
  return TRUE;
}

gboolean
lk_report_write_chart_png (LkReport           *report,
                           LkReportTableKind   kind,
                           const char         *path,
                           int                 width,
                           int                 height,
                           gboolean            dark,
                           GError            **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  LkChartStyle style;
  cairo_status_t status;

  g_return_val_if_fail (LK_IS_REPORT (report), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lk_chart_style_init (&style, dark);
  /* Twice the size, for sharp text on documents and high-density screens. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * 2, height * 2);
  cr = cairo_create (surface);
  cairo_scale (cr, 2, 2);
  set_rgba (cr, &style.bg);
  cairo_paint (cr);
  text_at (cr, lk_report_table_title (kind), 12, 16, width - 24, FONT_PX + 2, PANGO_ALIGN_LEFT, TRUE, &style.fg);
  cairo_translate (cr, 12, 32);
  lk_report_chart_draw (report, kind, cr, width - 24, height - 44, &style, NO_ITEM);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  return !cairo_failed (status, path, error);
}

/* The PDF: A4 portrait in points; tiles and two charts on the first
 * page, two charts on each next page, then the tables. */

#define PAGE_W   595.0
#define PAGE_H   842.0
#define MARGIN   40.0
#define ROW_H    16.0

typedef struct
{
  cairo_t      *cr;
  LkChartStyle  style;
  double        y;
} Pdf;

static void
pdf_new_page (Pdf *pdf)
{
  cairo_show_page (pdf->cr);
  pdf->y = MARGIN;
}

static void
pdf_need (Pdf    *pdf,
          double  height)
{
  if (pdf->y + height > PAGE_H - MARGIN)
    pdf_new_page (pdf);
}

static void
pdf_chart (Pdf               *pdf,
           LkReport          *report,
           LkReportTableKind  kind)
{
  double h = 300;

  pdf_need (pdf, h + 30);
  text_at (pdf->cr, lk_report_table_title (kind), MARGIN, pdf->y + 8, PAGE_W - 2 * MARGIN, 13,
           PANGO_ALIGN_LEFT, TRUE, &pdf->style.fg);
  cairo_save (pdf->cr);
  cairo_translate (pdf->cr, MARGIN, pdf->y + 22);
  lk_report_chart_draw (report, kind, pdf->cr, PAGE_W - 2 * MARGIN, h, &pdf->style, NO_ITEM);
  cairo_restore (pdf->cr);
  pdf->y += h + 40;
}

static void
pdf_row (Pdf                *pdf,
         const char * const *cells,
         guint               n,
         gboolean            header)
{
  double first = n > 6 ? 62 : 140;
  double rest = (PAGE_W - 2 * MARGIN - first) / MAX (1, n - 1);
  double x = MARGIN;

  for (guint i = 0; i < n; i++)
    {
      double w = i == 0 ? first : rest;

      text_at (pdf->cr, cells[i], x, pdf->y + ROW_H / 2, w - 4, n > 6 ? (header ? 7 : 8.5) : 10,
               i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, header, &pdf->style.fg);
      x += w;
    }
  pdf->y += ROW_H;
  cairo_set_source_rgba (pdf->cr, 0, 0, 0, header ? 0.6 : 0.15);
  cairo_set_line_width (pdf->cr, header ? 0.8 : 0.4);
  cairo_move_to (pdf->cr, MARGIN, pdf->y - 1);
  cairo_line_to (pdf->cr, PAGE_W - MARGIN, pdf->y - 1);
  cairo_stroke (pdf->cr);
}

static void
pdf_table (Pdf               *pdf,
           LkReport          *report,
           LkReportTableKind  kind)
{
  g_autoptr(LkReportTable) table = lk_report_get_table (report, kind);
  guint n = g_strv_length (table->headers);

  pdf_need (pdf, 30 + 3 * ROW_H);
  text_at (pdf->cr, table->title, MARGIN, pdf->y + 8, PAGE_W - 2 * MARGIN, 13,
           PANGO_ALIGN_LEFT, TRUE, &pdf->style.fg);
  pdf->y += 22;
  pdf_row (pdf, (const char * const *) table->headers, n, TRUE);
  for (guint i = 0; i < table->rows->len; i++)
    {
      if (pdf->y + ROW_H > PAGE_H - MARGIN)
        {
          pdf_new_page (pdf);
          pdf_row (pdf, (const char * const *) table->headers, n, TRUE);
        }
      pdf_row (pdf, g_ptr_array_index (table->rows, i), n, FALSE);
    }
  pdf->y += 18;
}

static void
pdf_tiles (Pdf      *pdf,
           LkReport *report)
{
  g_autoptr(GPtrArray) tiles = lk_report_get_tiles (report);
  double gap = 10, w = (PAGE_W - 2 * MARGIN - 3 * gap) / 4, h = 64;

  for (guint i = 0; i < tiles->len; i++)
    {
      LkReportTile *tile = g_ptr_array_index (tiles, i);
      double x = MARGIN + (i % 4) * (w + gap);
      double y = pdf->y + (i / 4) * (h + gap);

      cairo_set_source_rgba (pdf->cr, 0.21, 0.52, 0.89, 0.08);
      cairo_rectangle (pdf->cr, x, y, w, h);
      cairo_fill (pdf->cr);
      text_at (pdf->cr, tile->title, x + 8, y + 12, w - 16, 9, PANGO_ALIGN_LEFT, FALSE, &pdf->style.dim);
      text_at (pdf->cr, tile->value, x + 8, y + 32, w - 16, g_utf8_strlen (tile->value, -1) > 8 ? 12 : 17,
               PANGO_ALIGN_LEFT, TRUE, &pdf->style.fg);
      text_at (pdf->cr, tile->detail, x + 8, y + 52, w - 16, 7, PANGO_ALIGN_LEFT, FALSE, &pdf->style.dim);
    }
  pdf->y += 2 * (h + gap) + 10;
}

/**
 * lk_report_write_pdf:
 *
 * Writes the whole report, tiles, charts and tables, as an A4 PDF. Text
 * goes through Pango, so Chinese is set in whatever CJK font fontconfig
 * finds.
 */
gboolean
lk_report_write_pdf (LkReport    *report,
                     const char  *path,
                     GError     **error)
{
  static const LkReportTableKind charts[] = {
    LK_REPORT_FUNNEL, LK_REPORT_SOURCES, LK_REPORT_WEEKLY,
    LK_REPORT_LEADERBOARD, LK_REPORT_STAGE_TIME, LK_REPORT_LOST_REASONS,
  };
  g_autofree char *period = NULL;
  g_autoptr(GString) filters = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Pdf pdf = { 0 };

  g_return_val_if_fail (LK_IS_REPORT (report), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  status = cairo_surface_status (surface);
  if (cairo_failed (status, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Leadkeeper report"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Leadkeeper");
  pdf.cr = cairo_create (surface);
  lk_chart_style_init (&pdf.style, FALSE);
  pdf.y = MARGIN;

  period = lk_report_describe_period (report);
  filters = g_string_new (period);
  if (lk_report_query_get_owner (lk_report_get_query (report)) != NULL)
    g_string_append_printf (filters, " · %s %s", _("Owner:"),
                            lk_report_query_get_owner (lk_report_get_query (report)));
  if (lk_report_query_get_source (lk_report_get_query (report)) != NULL)
    g_string_append_printf (filters, " · %s %s", _("Source:"),
                            lk_report_query_get_source (lk_report_get_query (report)));
  text_at (pdf.cr, _("Leadkeeper report"), MARGIN, pdf.y + 10, PAGE_W - 2 * MARGIN, 20,
           PANGO_ALIGN_LEFT, TRUE, &pdf.style.fg);
  text_at (pdf.cr, filters->str, MARGIN, pdf.y + 34, PAGE_W - 2 * MARGIN, 11,
           PANGO_ALIGN_LEFT, FALSE, &pdf.style.dim);
  pdf.y += 52;
  pdf_tiles (&pdf, report);
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    pdf_chart (&pdf, report, charts[i]);
  pdf_new_page (&pdf);
  pdf_table (&pdf, report, LK_REPORT_MONTHLY);
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    pdf_table (&pdf, report, charts[i]);
  cairo_show_page (pdf.cr);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return !cairo_failed (status, path, error);
}
