/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-pipeline"

#include <glib/gi18n-lib.h>

#include "lk-error.h"
#include "lk-pipeline.h"

/* The ordered stages a lead moves through, and the rules for moving:
 * Lost needs a reason, and leaving Won or Lost is a "reopen" that the
 * stage history records. The pipeline is a GListModel of LkStage so the
 * board can make one column per item. */
struct _LkPipeline
{
  GObject    parent_instance;

  /* Owned */
  GPtrArray *stages;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkPipeline, lk_pipeline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static const struct
{
  const char  *id;
  const char  *name;
  LkStageKind  kind;
  const char  *color;
  guint        probability;
  guint        days_to_rot;
} default_stages[] = {
  { "new",       NC_("stage", "New"),       LK_STAGE_KIND_OPEN, "#3584e4", 5,   2 },
  { "assigned",  NC_("stage", "Assigned"),  LK_STAGE_KIND_OPEN, "#2190a4", 10,  2 },
  { "contacted", NC_("stage", "Contacted"), LK_STAGE_KIND_OPEN, "#3a944a", 20,  7 },
  { "qualified", NC_("stage", "Qualified"), LK_STAGE_KIND_OPEN, "#c88800", 40,  14 },
  { "proposal",  NC_("stage", "Proposal"),  LK_STAGE_KIND_OPEN, "#ed5b00", 60,  10 },
  { "won",       NC_("stage", "Won"),       LK_STAGE_KIND_WON,  "#26a269", 100, 0 },
  { "lost",      NC_("stage", "Lost"),      LK_STAGE_KIND_LOST, "#c01c28", 0,   0 },
};

static const char * const lost_reasons[] = {
  NC_("lost reason", "Price too high"),
  NC_("lost reason", "Chose a competitor"),
  NC_("lost reason", "No budget"),
  NC_("lost reason", "No response"),
  NC_("lost reason", "Not the right time"),
  NC_("lost reason", "Needs do not fit"),
  NC_("lost reason", "Could not reach the decision maker"),
  NC_("lost reason", "Duplicate lead"),
  NULL
};

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static GType
list_model_get_item_type (GListModel *model)
{
  return LK_TYPE_STAGE;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return LK_PIPELINE (model)->stages->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  LkPipeline *self = LK_PIPELINE (model);

  if (position >= self->stages->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->stages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
lk_pipeline_finalize (GObject *object)
{
  LkPipeline *self = LK_PIPELINE (object);

  g_clear_pointer (&self->stages, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_pipeline_parent_class)->finalize (object);
}

static void
lk_pipeline_class_init (LkPipelineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_pipeline_finalize;
}

static void
lk_pipeline_init (LkPipeline *self)
{
  self->stages = g_ptr_array_new_with_free_func (g_object_unref);
}

/* New → Assigned → Contacted → Qualified → Proposal → Won | Lost (PRODUCT.md) */
LkPipeline *
lk_pipeline_new_default (void)
{
  LkPipeline *self = g_object_new (LK_TYPE_PIPELINE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (default_stages); i++)
    g_ptr_array_add (self->stages,
                     lk_stage_new (default_stages[i].id, default_stages[i].name,
                                   default_stages[i].kind, default_stages[i].color,
                                   default_stages[i].probability, default_stages[i].days_to_rot));
  return self;
}

static LkStageKind
kind_from_string (const char *kind)
{
  if (g_strcmp0 (kind, "won") == 0)
    return LK_STAGE_KIND_WON;
  if (g_strcmp0 (kind, "lost") == 0)
    return LK_STAGE_KIND_LOST;
  return LK_STAGE_KIND_OPEN;
}

static const char *
kind_to_string (LkStageKind kind)
{
  switch (kind)
    {
    case LK_STAGE_KIND_WON:
      return "won";
    case LK_STAGE_KIND_LOST:
      return "lost";
    case LK_STAGE_KIND_OPEN:
    default:
      return "open";
    }
}

/**
 * lk_pipeline_new_from_json:
 *
 * Reads the `settings:pipeline` document: `{"stages": [{"id", "name",
 * "kind", "color", "probability", "days_to_rot"}, …]}`. A pipeline needs
 * distinct ids and exactly one Won and one Lost stage.
 */
LkPipeline *
lk_pipeline_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(LkPipeline) self = g_object_new (LK_TYPE_PIPELINE, NULL);
  JsonArray *stages;
  guint n_won = 0, n_lost = 0;

  g_return_val_if_fail (object != NULL, NULL);

  if (!json_object_has_member (object, "stages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "stages")))
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("The pipeline settings have no list of stages"));
      return NULL;
    }
  stages = json_object_get_array_member (object, "stages");
  for (guint i = 0; i < json_array_get_length (stages); i++)
    {
      JsonNode *node = json_array_get_element (stages, i);
      JsonObject *stage;
      const char *id, *name;
      LkStageKind kind;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      stage = json_node_get_object (node);
      id = json_object_get_string_member_with_default (stage, "id", NULL);
      name = json_object_get_string_member_with_default (stage, "name", id);
      if (id == NULL || id[0] == '\0' || lk_pipeline_lookup (self, id) != NULL)
        goto invalid;
      kind = kind_from_string (json_object_get_string_member_with_default (stage, "kind", "open"));
      n_won += kind == LK_STAGE_KIND_WON;
      n_lost += kind == LK_STAGE_KIND_LOST;
      g_ptr_array_add (self->stages,
                       lk_stage_new (id, name, kind,
                                     json_object_get_string_member_with_default (stage, "color", NULL),
                                     (guint) json_object_get_int_member_with_default (stage, "probability", 0),
                                     (guint) json_object_get_int_member_with_default (stage, "days_to_rot", 0)));
    }
  if (n_won != 1 || n_lost != 1)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("A pipeline needs exactly one Won and one Lost stage"));
      return NULL;
    }
  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                       _("The pipeline settings contain a stage without a distinct id"));
  return NULL;
}

JsonObject *
lk_pipeline_to_json (LkPipeline *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *stages = json_array_new ();

  g_return_val_if_fail (LK_IS_PIPELINE (self), NULL);

  for (guint i = 0; i < self->stages->len; i++)
    {
      LkStage *stage = g_ptr_array_index (self->stages, i);
      JsonObject *s = json_object_new ();
      g_autofree char *name = NULL;

      json_object_set_string_member (s, "id", lk_stage_get_id (stage));
      /* The stored name stays untranslated; look it up without gettext. */
      for (guint j = 0; j < G_N_ELEMENTS (default_stages); j++)
        if (g_str_equal (default_stages[j].id, lk_stage_get_id (stage)))
          name = g_strdup (default_stages[j].name);
      json_object_set_string_member (s, "name", name ? name : lk_stage_get_name (stage));
      json_object_set_string_member (s, "kind", kind_to_string (lk_stage_get_kind (stage)));
      json_object_set_string_member (s, "color", lk_stage_get_color (stage));
      json_object_set_int_member (s, "probability", lk_stage_get_probability (stage));
      json_object_set_int_member (s, "days_to_rot", lk_stage_get_days_to_rot (stage));
      json_array_add_object_element (stages, s);
    }
  json_object_set_array_member (object, "stages", stages);
  return object;
}

/* Returns: (nullable) (transfer none): the stage with @stage_id */
LkStage *
lk_pipeline_lookup (LkPipeline *self,
                    const char *stage_id)
{
  int pos;

  g_return_val_if_fail (LK_IS_PIPELINE (self), NULL);

  pos = lk_pipeline_get_position (self, stage_id);
  return pos < 0 ? NULL : g_ptr_array_index (self->stages, pos);
}

int
lk_pipeline_get_position (LkPipeline *self,
                          const char *stage_id)
{
  g_return_val_if_fail (LK_IS_PIPELINE (self), -1);

  if (stage_id == NULL)
    return -1;
  for (guint i = 0; i < self->stages->len; i++)
    if (g_str_equal (lk_stage_get_id (g_ptr_array_index (self->stages, i)), stage_id))
      return (int) i;
  return -1;
}

/**
 * lk_pipeline_get_neighbour:
 * @direction: -1 for the previous stage, +1 for the next
 *
 * Returns: (nullable) (transfer none): the stage before or after
 *   @stage_id, for Alt+Left / Alt+Right on a card.
 */
LkStage *
lk_pipeline_get_neighbour (LkPipeline *self,
                           const char *stage_id,
                           int         direction)
{
  int pos = lk_pipeline_get_position (self, stage_id);

  if (pos < 0 || pos + direction < 0 || pos + direction >= (int) self->stages->len)
    return NULL;
  return g_ptr_array_index (self->stages, pos + direction);
}

/* "new, assigned, contacted, …" for error messages that list valid ids. */
char *
lk_pipeline_describe_ids (LkPipeline *self)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < self->stages->len; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, lk_stage_get_id (g_ptr_array_index (self->stages, i)));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static const char *
id_of_kind (LkPipeline  *self,
            LkStageKind  kind)
{
  for (guint i = 0; i < self->stages->len; i++)
    if (lk_stage_get_kind (g_ptr_array_index (self->stages, i)) == kind)
      return lk_stage_get_id (g_ptr_array_index (self->stages, i));
  return NULL;
}

const char *
lk_pipeline_get_won_id (LkPipeline *self)
{
  return id_of_kind (self, LK_STAGE_KIND_WON);
}

const char *
lk_pipeline_get_lost_id (LkPipeline *self)
{
  return id_of_kind (self, LK_STAGE_KIND_LOST);
}

/**
 * lk_pipeline_check_move:
 * @from: (nullable): the current stage; %NULL for a new lead
 * @reason: (nullable): why, required when @to is the Lost stage
 * @reopen: (out) (optional): set when the move leaves Won or Lost
 *
 * The pipeline's gates. Returns %FALSE with a message a user can act on
 * when the move is not allowed.
 */
gboolean
lk_pipeline_check_move (LkPipeline  *self,
                        const char  *from,
                        const char  *to,
                        const char  *reason,
                        gboolean    *reopen,
                        GError     **error)
{
  LkStage *from_stage = NULL;
  LkStage *to_stage;

  g_return_val_if_fail (LK_IS_PIPELINE (self), FALSE);

  if (reopen)
    *reopen = FALSE;

  to_stage = lk_pipeline_lookup (self, to);
  if (to_stage == NULL)
    {
      g_autofree char *ids = lk_pipeline_describe_ids (self);

      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("There is no stage “%s”. The stages are: %s"), to ? to : "", ids);
      return FALSE;
    }
  if (from != NULL)
    from_stage = lk_pipeline_lookup (self, from);

  if (lk_stage_get_kind (to_stage) == LK_STAGE_KIND_LOST && is_blank (reason))
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_GATE,
                           _("Moving a lead to Lost needs a reason, so the team can learn why leads are lost"));
      return FALSE;
    }

  if (reopen && from_stage != NULL && lk_stage_is_terminal (from_stage) && from_stage != to_stage)
    *reopen = TRUE;
  return TRUE;
}

const char * const *
lk_pipeline_get_lost_reasons (void)
{
  return lost_reasons;
}

/* Shows a stored lost reason in the user's language when it is one of
 * the common reasons; a reason typed by hand is shown as it was typed. */
const char *
lk_pipeline_translate_reason (const char *reason)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "lost reason", reason);
}
