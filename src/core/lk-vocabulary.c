/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-vocabulary"

#include <glib/gi18n-lib.h>

#include "lk-vocabulary.h"

static const LkTerm sources[] = {
  { "website",    NC_("source", "Website form") },
  { "exhibition", NC_("source", "Exhibition") },
  { "partner",    NC_("source", "Partner referral") },
  { "webinar",    NC_("source", "Webinar") },
  { "search_ads", NC_("source", "Search ads") },
  { "referral",   NC_("source", "Customer referral") },
  { "cold_call",  NC_("source", "Cold call") },
  { "social",     NC_("source", "Social media") },
};

static const LkTerm methods[] = {
  { "phone",   NC_("method", "Phone") },
  { "email",   NC_("method", "Email") },
  { "visit",   NC_("method", "Visit") },
  { "wechat",  NC_("method", "WeChat") },
  { "meeting", NC_("method", "Meeting") },
  { "other",   NC_("method", "Other") },
};

static const LkTerm temperatures[] = {
  { "hot",  NC_("temperature", "Hot") },
  { "warm", NC_("temperature", "Warm") },
  { "cold", NC_("temperature", "Cold") },
};

const LkTerm *
lk_vocabulary_sources (guint *n_terms)
{
  *n_terms = G_N_ELEMENTS (sources);
  return sources;
}

const LkTerm *
lk_vocabulary_methods (guint *n_terms)
{
  *n_terms = G_N_ELEMENTS (methods);
  return methods;
}

const LkTerm *
lk_vocabulary_temperatures (guint *n_terms)
{
  *n_terms = G_N_ELEMENTS (temperatures);
  return temperatures;
}

static const char *
name_of (const LkTerm *terms,
         guint         n_terms,
         const char   *context,
         const char   *id)
{
  if (id == NULL)
    return "";
  for (guint i = 0; i < n_terms; i++)
    if (g_str_equal (terms[i].id, id))
      return g_dpgettext2 (GETTEXT_PACKAGE, context, terms[i].name);
  return id;
}

const char *
lk_vocabulary_source_name (const char *id)
{
  return name_of (sources, G_N_ELEMENTS (sources), "source", id);
}

const char *
lk_vocabulary_method_name (const char *id)
{
  return name_of (methods, G_N_ELEMENTS (methods), "method", id);
}

const char *
lk_vocabulary_temperature_name (const char *id)
{
  return name_of (temperatures, G_N_ELEMENTS (temperatures), "temperature", id);
}
