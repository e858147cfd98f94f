/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-tag-editor"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-record.h"
#include "lk-tag-editor.h"

/* Tags as chips with a remove button each, and an entry that adds what
 * is typed when Enter or a comma (also "，", ";", "；") is typed. Tags
 * are kept normalised: trimmed, no empty ones, no duplicates. */
struct _LkTagEditor
{
  GtkBox      parent_instance;

  /* Template widgets */
  GtkFlowBox *chips;
  GtkEntry   *entry;

  /* Owned */
  GStrv       tags;
  gboolean    splitting;
};

G_DEFINE_FINAL_TYPE (LkTagEditor, lk_tag_editor, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char separators[] = ",;，；、";

static void
ensure_css (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/leadkeeper/Leadkeeper/leads/lk-tag-editor.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

static void remove_clicked_cb (LkTagEditor *self,
                               GtkButton   *button);

static GtkWidget *
make_chip (LkTagEditor *self,
           const char  *tag)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (tag);
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");
  /* Translators: tooltip and accessible name of the × on a tag chip */
  g_autofree char *remove = g_strdup_printf (_("Remove the tag “%s”"), tag);

  gtk_widget_add_css_class (chip, "tag-chip");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_box_append (GTK_BOX (chip), label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, remove);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
  g_object_set_data_full (G_OBJECT (button), "tag", g_strdup (tag), g_free);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (chip), button);
  return chip;
}

static void
rebuild_chips (LkTagEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips))) != NULL)
    gtk_flow_box_remove (self->chips, child);
  for (guint i = 0; self->tags != NULL && self->tags[i] != NULL; i++)
    {
      GtkWidget *chip = make_chip (self, self->tags[i]);

      gtk_flow_box_append (self->chips, chip);
      /* Tab goes straight to the remove buttons; the chip itself does nothing. */
      gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->chips), self->tags != NULL && self->tags[0] != NULL);
}

static void
take_tags (LkTagEditor *self,
           GStrv        tags)
{
  g_auto(GStrv) normalized = lk_tags_normalize ((const char * const *) tags);

  g_strfreev (tags);
  if (self->tags != NULL && g_strv_equal ((const char * const *) self->tags,
                                          (const char * const *) normalized))
    return;
  g_strfreev (self->tags);
  self->tags = g_steal_pointer (&normalized);
  rebuild_chips (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

static void
remove_clicked_cb (LkTagEditor *self,
                   GtkButton   *button)
{
  g_autofree char *tag = g_strdup (g_object_get_data (G_OBJECT (button), "tag"));

  lk_tag_editor_remove_tag (self, tag);
  /* The chip is gone with its button: keep the focus in the editor. */
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
has_separator (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_utf8_strchr (separators, -1, g_utf8_get_char (p)) != NULL)
      return TRUE;
  return FALSE;
}

/* Splits @text at the separators; the last part (what is still being
 * typed) is returned in @rest when @rest is not %NULL. */
static GStrv
split_tags (const char  *text,
            char       **rest)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) part = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_utf8_strchr (separators, -1, c) != NULL)
        {
          g_strv_builder_add (builder, part->str);
          g_string_truncate (part, 0);
        }
      else
        g_string_append_unichar (part, c);
    }
  if (rest != NULL)
    *rest = g_strdup (part->str);
  else
    g_strv_builder_add (builder, part->str);
  return g_strv_builder_end (builder);
}

static void
add_tags (LkTagEditor *self,
          GStrv        added)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->tags != NULL)
    g_strv_builder_addv (builder, (const char **) self->tags);
  g_strv_builder_addv (builder, (const char **) added);
  take_tags (self, g_strv_builder_end (builder));
}

static void
entry_changed_cb (LkTagEditor *self,
                  GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *rest = NULL;
  g_auto(GStrv) added = NULL;

  if (self->splitting || !has_separator (text))
    return;
  added = split_tags (text, &rest);
  add_tags (self, added);
  /* Keep only what is still being typed after the last separator. */
  self->splitting = TRUE;
  gtk_editable_set_text (editable, g_strstrip (rest));
  gtk_editable_set_position (editable, -1);
  self->splitting = FALSE;
}

static void
entry_activate_cb (LkTagEditor *self,
                   GtkEntry    *entry)
{
  lk_tag_editor_add_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
lk_tag_editor_finalize (GObject *object)
{
  LkTagEditor *self = LK_TAG_EDITOR (object);

  g_clear_pointer (&self->tags, g_strfreev);

  G_OBJECT_CLASS (lk_tag_editor_parent_class)->finalize (object);
}

static void
lk_tag_editor_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkTagEditor *self = LK_TAG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_tag_editor_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LkTagEditor *self = LK_TAG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TAGS:
      lk_tag_editor_set_tags (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_tag_editor_class_init (LkTagEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lk_tag_editor_finalize;
  object_class->get_property = lk_tag_editor_get_property;
  object_class->set_property = lk_tag_editor_set_property;

  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-tag-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTagEditor, chips);
  gtk_widget_class_bind_template_child (widget_class, LkTagEditor, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
}

static void
lk_tag_editor_init (LkTagEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ensure_css ();
  self->tags = g_new0 (char *, 1);
  rebuild_chips (self);
}

GtkWidget *
lk_tag_editor_new (void)
{
  return g_object_new (LK_TYPE_TAG_EDITOR, NULL);
}

/* Returns: (transfer none): the tags, never %NULL */
const char * const *
lk_tag_editor_get_tags (LkTagEditor *self)
{
  g_return_val_if_fail (LK_IS_TAG_EDITOR (self), NULL);
  return (const char * const *) self->tags;
}

void
lk_tag_editor_set_tags (LkTagEditor        *self,
                        const char * const *tags)
{
  g_return_if_fail (LK_IS_TAG_EDITOR (self));

  take_tags (self, g_strdupv ((char **) tags));
}

/* Adds the tags in @text, separated by commas: as typed and committed. */
void
lk_tag_editor_add_text (LkTagEditor *self,
                        const char  *text)
{
  g_auto(GStrv) added = NULL;

  g_return_if_fail (LK_IS_TAG_EDITOR (self));

  if (text == NULL)
    return;
  added = split_tags (text, NULL);
  add_tags (self, added);
}

void
lk_tag_editor_remove_tag (LkTagEditor *self,
                          const char  *tag)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (LK_IS_TAG_EDITOR (self));

  for (guint i = 0; self->tags[i] != NULL; i++)
    if (g_strcmp0 (self->tags[i], tag) != 0)
      g_strv_builder_add (builder, self->tags[i]);
  take_tags (self, g_strv_builder_end (builder));
}
