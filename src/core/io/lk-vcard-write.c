/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-vcard"

#include <string.h>

#include "lk-vcard.h"

/* Writing a lead as a vCard: 4.0 (RFC 6350) or 3.0 (RFC 2426), UTF-8,
 * CRLF, folded at 75 octets; lk-vcard.c reads what this writes back to
 * the same fields. */

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

static void
escape_into (GString    *out,
             const char *text,
             gboolean    structured)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ',':
          g_string_append (out, "\\,");
          break;
        case ';':
          if (structured)
            g_string_append (out, "\\;");
          else
            g_string_append_c (out, ';');
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

/* Appends "NAME:value" folded at 75 octets, never inside a UTF-8
 * sequence, with CRLF. */
static void
add_line (GString    *out,
          const char *line)
{
  gsize len = strlen (line);
  gsize pos = 0;
  gsize width = 75;

  while (len - pos > width)
    {
      gsize cut = pos + width;

      while (cut > pos && ((guchar) line[cut] & 0xC0) == 0x80)
        cut--;
      g_string_append_len (out, line + pos, cut - pos);
      g_string_append (out, "\r\n ");
      pos = cut;
      width = 74;  /* the space of the continuation counts */
    }
  g_string_append (out, line + pos);
  g_string_append (out, "\r\n");
}

static void
add_text (GString    *out,
          const char *name,
          const char *value)
{
  g_autoptr(GString) line = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  line = g_string_new (name);
  g_string_append_c (line, ':');
  escape_into (line, value, FALSE);
  add_line (out, line->str);
}

/* "李雷" → family 李, given 雷; "Anna Berg" → family Berg, given Anna */
static void
split_name (const char  *name,
            char       **family,
            char       **given)
{
  const char *space = strrchr (name, ' ');

  if (space != NULL)
    {
      *family = g_strdup (space + 1);
      *given = g_strndup (name, space - name);
    }
  else if (has_han (name) && g_utf8_strlen (name, -1) >= 2 && g_utf8_strlen (name, -1) <= 4)
    {
      const char *second = g_utf8_next_char (name);

      *family = g_strndup (name, second - name);
      *given = g_strdup (second);
    }
  else
    {
      *family = g_strdup (name);
      *given = g_strdup ("");
    }
}

/**
 * lk_vcard_from_lead:
 *
 * Returns: (transfer full): @lead as one vCard, CRLF line ends, folded
 *   at 75 octets: the contact, company, title, phone, email, WeChat/IM,
 *   region, tags and notes
 */
char *
lk_vcard_from_lead (LkLead         *lead,
                    LkVcardVersion  version)
{
  LkRecord *record;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *contact, *company, *phone, *email, *region, *im;
  const char * const *tags;
  gboolean v4 = version == LK_VCARD_VERSION_4;

  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);

  record = LK_RECORD (lead);
  contact = lk_lead_get_contact (lead);
  company = lk_lead_get_company (lead);
  phone = lk_record_get_string (record, LK_LEAD_PHONE);
  email = lk_record_get_string (record, LK_LEAD_EMAIL);
  region = lk_record_get_string (record, LK_LEAD_REGION);
  im = lk_record_get_string (record, LK_LEAD_IM);
  tags = lk_record_get_tags (record, LK_LEAD_TAGS);

  add_line (out, "BEGIN:VCARD");
  add_line (out, v4 ? "VERSION:4.0" : "VERSION:3.0");
  add_line (out, "PRODID:-//Leadkeeper//Leadkeeper//EN");
  if (v4 && contact[0] == '\0')
    add_line (out, "KIND:org");
  add_text (out, "FN", contact[0] ? contact : company);
  if (contact[0] != '\0' || !v4)
    {
      g_autofree char *family = NULL;
      g_autofree char *given = NULL;

      split_name (contact, &family, &given);
      g_string_assign (line, "N:");
      escape_into (line, family, TRUE);
      g_string_append_c (line, ';');
      escape_into (line, given, TRUE);
      g_string_append (line, ";;;");
      add_line (out, line->str);
    }
  if (company[0] != '\0')
    {
      g_string_assign (line, "ORG:");
      escape_into (line, company, TRUE);
      add_line (out, line->str);
    }
  add_text (out, "TITLE", lk_record_get_string (record, LK_LEAD_TITLE));
  if (phone[0] != '\0')
    {
      g_string_assign (line, v4 ? "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:" : "TEL;TYPE=WORK,VOICE,PREF:");
      escape_into (line, phone, FALSE);
      add_line (out, line->str);
    }
  if (email[0] != '\0')
    {
      g_string_assign (line, v4 ? "EMAIL;TYPE=work;PREF=1:" : "EMAIL;TYPE=INTERNET,WORK,PREF:");
      escape_into (line, email, FALSE);
      add_line (out, line->str);
    }
  add_text (out, "X-WECHAT", im);
  if (region[0] != '\0')
    {
      g_string_assign (line, v4 ? "ADR;TYPE=work:;;;" : "ADR;TYPE=WORK:;;;");
      escape_into (line, region, TRUE);
      g_string_append (line, ";;;");
      add_line (out, line->str);
    }
  if (tags[0] != NULL)
    {
      g_string_assign (line, "CATEGORIES:");
      for (guint i = 0; tags[i]; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          escape_into (line, tags[i], TRUE);
        }
      add_line (out, line->str);
    }
  add_text (out, "NOTE", lk_record_get_string (record, LK_LEAD_NOTES));
  if (lk_record_get_id (record) != NULL)
    add_text (out, "UID", lk_record_get_id (record));
  add_line (out, "END:VCARD");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
