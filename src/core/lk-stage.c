/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-stage"

#include <glib/gi18n-lib.h>

#include "lk-stage.h"

/* One column of the pipeline. The stored name of a default stage is its
 * English source string; it is translated when shown, so a team with
 * mixed languages sees each desktop in its own language. */
struct _LkStage
{
  GObject      parent_instance;

  /* Owned */
  char        *id;
  char        *name;
  char        *color;

  guint        probability;  /* percent */
  guint        days_to_rot;  /* 0: never rots */
  LkStageKind  kind;
};

G_DEFINE_FINAL_TYPE (LkStage, lk_stage, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_COLOR,
  PROP_PROBABILITY,
  PROP_DAYS_TO_ROT,
  PROP_TERMINAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lk_stage_finalize (GObject *object)
{
  LkStage *self = LK_STAGE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (lk_stage_parent_class)->finalize (object);
}

static void
lk_stage_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkStage *self = LK_STAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, lk_stage_get_name (self));
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_PROBABILITY:
      g_value_set_uint (value, self->probability);
      break;
    case PROP_DAYS_TO_ROT:
      g_value_set_uint (value, self->days_to_rot);
      break;
    case PROP_TERMINAL:
      g_value_set_boolean (value, lk_stage_is_terminal (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_stage_class_init (LkStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lk_stage_finalize;
  object_class->get_property = lk_stage_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, NULL, flags);
  properties[PROP_PROBABILITY] = g_param_spec_uint ("probability", NULL, NULL, 0, 100, 0, flags);
  properties[PROP_DAYS_TO_ROT] = g_param_spec_uint ("days-to-rot", NULL, NULL, 0, 3650, 0, flags);
  properties[PROP_TERMINAL] = g_param_spec_boolean ("terminal", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_stage_init (LkStage *self)
{
}

LkStage *
lk_stage_new (const char  *id,
              const char  *name,
              LkStageKind  kind,
              const char  *color,
              guint        probability,
              guint        days_to_rot)
{
  LkStage *self;

  g_return_val_if_fail (id != NULL && name != NULL, NULL);

  self = g_object_new (LK_TYPE_STAGE, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->kind = kind;
  self->color = g_strdup (color ? color : "#3584e4");
  self->probability = MIN (probability, 100);
  self->days_to_rot = days_to_rot;
  return self;
}

const char *
lk_stage_get_id (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), NULL);
  return self->id;
}

/* Returns: the name to show, translated for the default stages */
const char *
lk_stage_get_name (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "stage", self->name);
}

const char *
lk_stage_get_color (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), NULL);
  return self->color;
}

guint
lk_stage_get_probability (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), 0);
  return self->probability;
}

guint
lk_stage_get_days_to_rot (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), 0);
  return self->days_to_rot;
}

LkStageKind
lk_stage_get_kind (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), LK_STAGE_KIND_OPEN);
  return self->kind;
}

gboolean
lk_stage_is_terminal (LkStage *self)
{
  g_return_val_if_fail (LK_IS_STAGE (self), FALSE);
  return self->kind != LK_STAGE_KIND_OPEN;
}
