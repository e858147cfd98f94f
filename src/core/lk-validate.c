/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-validate"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-validate.h"

/* The checks a lead passes before it is saved, shared by the editor, the
 * CLI and the importers so they all accept and refuse the same things. */

/* The numbering plans of the regions our users call most. Numbers of other
 * countries are accepted in international form (+CC…) with E.164's length
 * limits. */
static const struct
{
  const char *region;
  const char *code;
  const char *national;   /* a national number, without trunk prefix, as a regex */
  gboolean    trunk_zero; /* national numbers are dialled with a leading 0 */
} plans[] = {
  /* Mainland China: mobiles 1[3-9] + 9 digits; landlines 0 + area (2–3) + 7–8 digits,
   * Beijing's area being 10 */
  { "CN", "86",  "^(1[3-9][0-9]{9}|10[0-9]{8}|[2-9][0-9]{8,10})$", TRUE },
  /* Taiwan: mobiles 09 + 8; landlines 0 + area + 7–8 */
  { "TW", "886", "^(9[0-9]{8}|[2-8][0-9]{7,8})$", TRUE },
  { "HK", "852", "^[2-9][0-9]{7}$", FALSE },
  { "MO", "853", "^[2-8][0-9]{7}$", FALSE },
  { "SG", "65",  "^[3689][0-9]{7}$", FALSE },
  { "US", "1",   "^[2-9][0-9]{2}[2-9][0-9]{6}$", FALSE },
  { "CA", "1",   "^[2-9][0-9]{2}[2-9][0-9]{6}$", FALSE },
  { "GB", "44",  "^[1-9][0-9]{8,9}$", TRUE },
  { "DE", "49",  "^[1-9][0-9]{5,13}$", TRUE },
  { "FR", "33",  "^[1-9][0-9]{8}$", TRUE },
  { "JP", "81",  "^[1-9][0-9]{8,9}$", TRUE },
  { "KR", "82",  "^[1-9][0-9]{7,9}$", TRUE },
  { "AU", "61",  "^[2-478][0-9]{8}$", TRUE },
};

/* The patterns below, compiled once: an import checks 100,000 leads, and
 * compiling a pattern per check was most of its validation time. A
 * compiled GRegex is immutable and matched from any thread. */
static GRegex *
email_regex (void)
{
  /* What people mistype: missing @, no dot in the domain, spaces, a
   * trailing dot. Full RFC 5322 would accept things no mail server takes. */
  static const char pattern[] =
    "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,}$";
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL));
  return regex;
}

static gboolean
national_matches (guint       plan,
                  const char *national)
{
  static GRegex **regexes;

  if (g_once_init_enter (&regexes))
    {
      GRegex **compiled = g_new0 (GRegex *, G_N_ELEMENTS (plans));

      for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
        compiled[i] = g_regex_new (plans[i].national, G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regexes, compiled);
    }
  return g_regex_match (regexes[plan], national, 0, NULL);
}

gboolean
lk_validate_email (const char  *email,
                   GError     **error)
{
  if (email == NULL || email[0] == '\0')
    return TRUE;
  if (!g_regex_match (email_regex (), email, 0, NULL) || strstr (email, "..") != NULL)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("“%s” is not an email address; it should look like name@example.com"), email);
      return FALSE;
    }
  return TRUE;
}

static int
plan_for_region (const char *region)
{
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_ascii_strcasecmp (plans[i].region, region) == 0)
      return (int) i;
  return -1;
}

static int
plan_for_number (const char *digits,
                 gsize      *code_len)
{
  /* Longest country code first: "886" before "86" cannot clash, but "1"
   * must not swallow anything else. */
  int best = -1;

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_str_has_prefix (digits, plans[i].code) &&
        (best < 0 || strlen (plans[i].code) > strlen (plans[best].code)))
      best = (int) i;
  if (best >= 0)
    *code_len = strlen (plans[best].code);
  return best;
}

/**
 * lk_phone_to_e164:
 * @default_region: ISO 3166 code for numbers written without a country
 *   code ("CN")
 *
 * Normalises a phone number as people write it ("138 0013 8000",
 * "(010) 6552-9988", "+86 21 5080 1234", "0086…") to E.164 ("+8613800138000").
 *
 * Returns: (transfer full): the number in E.164, "" for an empty input, or
 *   %NULL with a message saying what is wrong
 */
char *
lk_phone_to_e164 (const char  *phone,
                  const char  *default_region,
                  GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean international = FALSE;
  int plan;
  gsize code_len = 0;
  const char *national;

  if (phone == NULL)
    return g_strdup ("");
  for (const char *p = phone; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Full-width digits and plus (what a Chinese IME types) count too. */
      if (c >= 0xFF10 && c <= 0xFF19)
        c = '0' + (c - 0xFF10);
      else if (c == 0xFF0B)
        c = '+';
      if (c >= '0' && c <= '9')
        g_string_append_c (digits, (char) c);
      else if (c == '+' && digits->len == 0 && !international)
        international = TRUE;
      else if (g_unichar_isspace (c) || strchr ("-.()/", (int) c) != NULL ||
               c == 0xFF08 || c == 0xFF09 || c == 0x2014 || c == 0xFF0D)
        continue;
      else
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” is not a phone number: only digits, spaces, +, -, ( and ) are allowed"),
                       phone);
          return NULL;
        }
    }
  if (digits->len == 0)
    {
      if (international)
        goto invalid;
      return g_strdup ("");
    }
  if (!international && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      international = TRUE;
    }

  if (international)
    {
      if (digits->len < 8 || digits->len > 15)
        goto invalid;
      plan = plan_for_number (digits->str, &code_len);
      national = digits->str + code_len;
      /* "+86 (0)10 …": the trunk 0 does not belong in international form. */
      if (plan >= 0 && plans[plan].trunk_zero && national[0] == '0')
        {
          g_string_erase (digits, code_len, 1);
          national = digits->str + code_len;
        }
      if (plan >= 0 && !national_matches ((guint) plan, national))
        goto invalid;
      return g_strconcat ("+", digits->str, NULL);
    }

  plan = plan_for_region (default_region ? default_region : LK_DEFAULT_PHONE_REGION);
  if (plan < 0)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("“%s” has no country code; write it as +<country code> <number>"), phone);
      return NULL;
    }
  national = digits->str;
  if (plans[plan].trunk_zero && national[0] == '0')
    national++;
  /* A Chinese number written with its country code but no plus: "8613800138000". */
  if (g_str_has_prefix (national, plans[plan].code) &&
      national_matches ((guint) plan, national + strlen (plans[plan].code)))
    national += strlen (plans[plan].code);
  if (!national_matches ((guint) plan, national))
    goto invalid;
  return g_strconcat ("+", plans[plan].code, national, NULL);

invalid:
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
               _("“%s” is not a possible phone number: check the number of digits and the country code"),
               phone);
  return NULL;
}

/* Whether numbers without a country code can be read for @region. */
gboolean
lk_phone_region_supported (const char *region)
{
  return region != NULL && plan_for_region (region) >= 0;
}

/* "CN, TW, HK, …" for messages. */
char *
lk_phone_regions_describe (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", plans[i].region);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Trims what people paste, and writes the phone in E.164. */
gboolean
lk_lead_normalize (LkLead      *lead,
                   const char  *default_region,
                   GError     **error)
{
  static const LkLeadField trimmed[] = {
    LK_LEAD_CODE, LK_LEAD_COMPANY, LK_LEAD_CONTACT, LK_LEAD_TITLE, LK_LEAD_EMAIL,
    LK_LEAD_IM, LK_LEAD_REGION, LK_LEAD_SOURCE, LK_LEAD_CAMPAIGN, LK_LEAD_INDUSTRY,
  };
  LkRecord *record = LK_RECORD (lead);
  g_autofree char *phone = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (trimmed); i++)
    {
      g_autofree char *value = g_strstrip (g_strdup (lk_record_get_string (record, trimmed[i])));

      lk_record_set_string (record, trimmed[i], value);
    }
  phone = lk_phone_to_e164 (lk_record_get_string (record, LK_LEAD_PHONE), default_region, error);
  if (phone == NULL)
    return FALSE;
  lk_record_set_string (record, LK_LEAD_PHONE, phone);
  return TRUE;
}

static gboolean
one_of (const char         *value,
        const char * const *allowed)
{
  return g_strv_contains (allowed, value);
}

gboolean
lk_lead_validate (LkLead      *lead,
                  LkPipeline  *pipeline,
                  GError     **error)
{
  static const char * const grades[] = { "", "A", "B", "C", NULL };
  static const char * const temperatures[] = { "", "hot", "warm", "cold", NULL };
  LkRecord *record = LK_RECORD (lead);
  const char *value;

  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  if (lk_lead_get_company (lead)[0] == '\0' && lk_lead_get_contact (lead)[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("A lead needs a company or a contact name"));
      return FALSE;
    }
  value = lk_record_get_string (record, LK_LEAD_GRADE);
  if (!one_of (value, grades))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The grade must be A, B or C, not “%s”"), value);
      return FALSE;
    }
  value = lk_record_get_string (record, LK_LEAD_TEMPERATURE);
  if (!one_of (value, temperatures))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The temperature must be hot, warm or cold, not “%s”"), value);
      return FALSE;
    }
  if (pipeline != NULL && lk_pipeline_lookup (pipeline, lk_lead_get_stage (lead)) == NULL)
    {
      g_autofree char *ids = lk_pipeline_describe_ids (pipeline);

      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("There is no stage “%s”. The stages are: %s"), lk_lead_get_stage (lead), ids);
      return FALSE;
    }
  value = lk_record_get_string (record, LK_LEAD_CURRENCY);
  if (strlen (value) != 3 || !g_ascii_isupper (value[0]) || !g_ascii_isupper (value[1]) ||
      !g_ascii_isupper (value[2]))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The currency must be a three-letter code such as CNY, TWD or USD, not “%s”"), value);
      return FALSE;
    }
  return lk_validate_email (lk_record_get_string (record, LK_LEAD_EMAIL), error);
}
