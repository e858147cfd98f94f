/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead"

#include "lk-lead.h"

struct _LkLead
{
  LkRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (LkLead, lk_lead, LK_TYPE_RECORD)

/* Order matches LkLeadField. Names are the document's keys ("bant.budget"
 * is the key "budget" inside the object "bant"). */
static const LkFieldInfo lead_fields[LK_LEAD_N_FIELDS] = {
  { "code",               "code",               LK_FIELD_STRING },
  { "company",            "company",            LK_FIELD_STRING },
  { "industry",           "industry",           LK_FIELD_STRING },
  { "company_size",       "company_size",       LK_FIELD_STRING },
  { "contact",            "contact",            LK_FIELD_STRING },
  { "title",              "title",              LK_FIELD_STRING },
  { "phone",              "phone",              LK_FIELD_STRING },
  { "email",              "email",              LK_FIELD_STRING },
  { "im",                 "im",                 LK_FIELD_STRING },
  { "region",             "region",             LK_FIELD_STRING },
  { "source",             "source",             LK_FIELD_STRING },
  { "campaign",           "campaign",           LK_FIELD_STRING },
  { "needs",              "needs",              LK_FIELD_STRING },
  { "budget",             "budget",             LK_FIELD_MONEY },
  { "amount",             "amount",             LK_FIELD_MONEY },
  { "currency",           "currency",           LK_FIELD_STRING },
  { "grade",              "grade",              LK_FIELD_STRING },
  { "score",              "score",              LK_FIELD_INT },
  { "temperature",        "temperature",        LK_FIELD_STRING },
  { "bant.budget",        "bant_budget",        LK_FIELD_BOOL },
  { "bant.authority",     "bant_authority",     LK_FIELD_BOOL },
  { "bant.need",          "bant_need",          LK_FIELD_BOOL },
  { "bant.timeline",      "bant_timeline",      LK_FIELD_BOOL },
  { "mql",                "mql",                LK_FIELD_BOOL },
  { "sql",                "sql_qualified",      LK_FIELD_BOOL },
  { "tags",               "tags",               LK_FIELD_TAGS },
  { "owner",              "owner",              LK_FIELD_REF },
  { "assigned_at",        "assigned_at",        LK_FIELD_TIME },
  { "stage",              "stage",              LK_FIELD_STRING },
  { "stage_entered_at",   "stage_entered_at",   LK_FIELD_TIME },
  { "lost_reason",        "lost_reason",        LK_FIELD_STRING },
  { "next_followup_at",   "next_followup_at",   LK_FIELD_TIME },
  { "first_contacted_at", "first_contacted_at", LK_FIELD_TIME },
  { "last_contacted_at",  "last_contacted_at",  LK_FIELD_TIME },
  { "consent",            "consent",            LK_FIELD_BOOL },
  { "do_not_contact",     "do_not_contact",     LK_FIELD_BOOL },
  { "notes",              "notes",              LK_FIELD_STRING },
  { "created_at",         "created_at",         LK_FIELD_TIME },
  { "created_by",         "created_by",         LK_FIELD_STRING },
  { "updated_at",         "updated_at",         LK_FIELD_TIME },
  { "updated_by",         "updated_by",         LK_FIELD_STRING },
};

static void
lk_lead_class_init (LkLeadClass *klass)
{
  lk_record_class_set_fields (LK_RECORD_CLASS (klass), "lead", "leads",
                              lead_fields, G_N_ELEMENTS (lead_fields));
}

static void
lk_lead_init (LkLead *self)
{
  LkRecord *record = LK_RECORD (self);

  /* No currency: lk_store_create_lead() gives a new lead the team's. */
  lk_record_set_string (record, LK_LEAD_STAGE, "new");
}

LkLead *
lk_lead_new (void)
{
  return g_object_new (LK_TYPE_LEAD, NULL);
}

LkLead *
lk_lead_copy (LkLead *self)
{
  return LK_LEAD (lk_record_copy (LK_RECORD (self)));
}

const char *
lk_lead_get_company (LkLead *self)
{
  return lk_record_get_string (LK_RECORD (self), LK_LEAD_COMPANY);
}

const char *
lk_lead_get_contact (LkLead *self)
{
  return lk_record_get_string (LK_RECORD (self), LK_LEAD_CONTACT);
}

const char *
lk_lead_get_stage (LkLead *self)
{
  return lk_record_get_string (LK_RECORD (self), LK_LEAD_STAGE);
}

/* Returns: (nullable): the owner's user id; %NULL for a lead in the pool */
const char *
lk_lead_get_owner (LkLead *self)
{
  return lk_record_get_string (LK_RECORD (self), LK_LEAD_OWNER);
}

gint64
lk_lead_get_amount (LkLead *self)
{
  return lk_record_get_int (LK_RECORD (self), LK_LEAD_AMOUNT);
}

/* The company, or the contact when the company is not known. */
const char *
lk_lead_get_display_name (LkLead *self)
{
  const char *company = lk_lead_get_company (self);

  return company[0] != '\0' ? company : lk_lead_get_contact (self);
}
