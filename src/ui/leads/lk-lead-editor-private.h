/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lead-editor.h"
#include "lk-lead-timeline.h"
#include "dedup/lk-duplicate-banner.h"
#include "lk-score-explanation.h"

G_BEGIN_DECLS

/* Shared by lk-lead-editor.c (the window: loading, saving, closing) and
 * lk-lead-editor-fields.c (each field's widget: reading, writing,
 * validating). */

typedef enum
{
  KIND_TEXT,      /* AdwEntryRow, the text as it is */
  KIND_CHOICE,    /* AdwEntryRow with a menu of common values (source, lost reason) */
  KIND_MONEY,     /* AdwEntryRow, major units with up to 2 decimals */
  KIND_COMBO,     /* AdwComboRow */
  KIND_SWITCH,    /* GtkSwitch in an AdwActionRow */
  KIND_DATE,      /* LkDateRow */
  KIND_TAGS,      /* LkTagEditor */
  KIND_NOTES,     /* GtkTextView */
  KIND_READ_ONLY, /* GtkLabel */
} FieldKind;

typedef struct
{
  const char  *name;       /* the document's field name */
  LkLeadField  field;
  const char  *widget_id;  /* in lk-lead-editor.ui */
  FieldKind    kind;
  gboolean     has_message;
} FieldSpec;

#define LK_LEAD_EDITOR_N_FIELDS 33


typedef struct
{
  const FieldSpec *spec;
  LkLeadEditor    *editor;
  GtkWidget       *widget;         /* borrowed from the template */
  GtkWidget       *row;            /* the row that shows the error style */
  GtkWidget       *message_row;    /* below the row, when the field has messages */
  GtkLabel        *message_label;
  char            *message;        /* shown under the row, or NULL */
  gboolean         error;          /* the message is an error, not a hint */
  gboolean         touched;        /* the user changed it */
} Field;

struct _LkLeadEditor
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  AdwComboRow     *stage_row;
  AdwEntryRow     *lost_reason_row;
  AdwComboRow     *owner_row;
  AdwExpanderRow  *bant_row;
  GtkLabel        *amount_symbol;
  GtkLabel        *budget_symbol;
  GtkMenuButton   *lost_reason_button;
  GtkMenuButton   *source_button;
  GtkWidget       *history_group;
  LkLeadTimeline  *timeline;
  GtkWidget       *contact_row;
  LkDuplicateBanner *duplicate_banner;
  LkScoreExplanation *score_explanation;

  /* Weak */
  GtkWidget       *focus_before;  /* while the discard question is asked */

  /* Owned */
  LkContext       *context;
  LkLead          *original;     /* as loaded, or a blank lead */
  LkLead          *lead;         /* the copy being edited */
  GPtrArray       *owner_ids;    /* of the owner combo's items; NULL for the pool */
  char            *phone_region;
  Field            fields[LK_LEAD_EDITOR_N_FIELDS];

  gboolean         is_new;
  gboolean         loading;      /* widgets are being filled: not the user */
  gboolean         save_attempted;
  gboolean         can_save;
  gboolean         closing;
};

void      lk_lead_editor_class_bind_fields   (GtkWidgetClass *widget_class);
void      lk_lead_editor_init_fields         (LkLeadEditor   *self);
void      lk_lead_editor_connect_fields      (LkLeadEditor   *self);
void      lk_lead_editor_dispose_fields      (LkLeadEditor   *self);
void      lk_lead_editor_load                (LkLeadEditor   *self);
void      lk_lead_editor_validate            (LkLeadEditor   *self);
void      lk_lead_editor_focus_first_problem (LkLeadEditor   *self);
Field    *lk_lead_editor_find_field          (LkLeadEditor   *self,
                                              const char     *name);
Field    *lk_lead_editor_field_of            (LkLeadEditor   *self,
                                              LkLeadField     field);
gboolean  lk_lead_editor_is_lost             (LkLeadEditor   *self);
void      lk_lead_editor_set_can_save        (LkLeadEditor   *self,
                                              gboolean        can_save);
gboolean  lk_lead_editor_type_text           (LkLeadEditor   *self,
                                              Field          *field,
                                              const char     *text);

G_END_DECLS
