/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dedup"

#include <string.h>

#include "lk-dedup.h"
#include "lk-validate.h"

/* Duplicate keys. Two leads are the same customer when their phone keys,
 * their email keys, or their company and contact keys are equal. The keys
 * fold what differs only in writing: full-width and half-width forms
 * (ＡＢＣ，１２３ from a Chinese IME), case, spaces and punctuation, and
 * the legal form of a company (有限公司, Co., Ltd., GmbH …), which
 * people leave out as often as they write it. */

/* Legal forms written as words after a Western name, casefolded. */
static const char * const western_suffixes[] = {
  "co", "ltd", "inc", "llc", "llp", "lp", "gmbh", "corp", "corporation", "limited", "company",
  "incorporated", "plc", "ag", "kg", "sa", "sarl", "srl", "spa", "bv", "nv", "pte", "pty", "oy",
  "ab", "as", "kk", "bhd", "sdn", "holdings", "group",
};

/* Legal forms at the end of a Chinese name, longest first (simplified and
 * traditional). */
static const char * const cjk_suffixes[] = {
  "集团股份有限公司", "集團股份有限公司", "集团有限责任公司", "集團有限責任公司",
  "集团有限公司", "集團有限公司", "股份有限公司", "有限责任公司", "有限責任公司",
  "有限公司", "股份公司", "集团公司", "集團公司", "集团", "集團", "公司",
};

/* NFKC (full-width to half-width, compatibility forms), then casefolded.
 * ASCII and plain CJK ideographs are their own NFKC: most names skip the
 * normalisation, which is the costly part of an import's keys. */
char *
lk_dedup_fold (const char *text)
{
  g_autofree char *nfkc = NULL;
  gboolean ascii = TRUE, plain = TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  for (const char *p = text; *p && plain; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x80)
        {
          ascii = FALSE;
          plain = (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
        }
    }
  if (ascii)
    return g_ascii_strdown (text, -1);
  if (plain)
    return g_utf8_casefold (text, -1);
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  return nfkc ? g_utf8_casefold (nfkc, -1) : NULL;
}

/* The words of @text: runs of letters and digits. */
static GPtrArray *
words_of (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return words;
}

static char *
join_words (GPtrArray *words,
            guint      n)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, g_ptr_array_index (words, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
nonempty_or_null (char *key)
{
  if (key != NULL && key[0] == '\0')
    g_clear_pointer (&key, g_free);
  return key;
}

/**
 * lk_dedup_company_key:
 *
 * "上海华信科技有限公司", "上海华信科技 有限公司" and "上海華信科技有限公司"
 * (full-width letters, or with spaces) give one key; "Blue River Co., Ltd."
 * and "BLUE RIVER" give "blueriver".
 *
 * Returns: (transfer full) (nullable): the key, %NULL for no company
 */
char *
lk_dedup_company_key (const char *company)
{
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *joined = NULL;
  guint n;
  gsize len;
  gboolean stripped = TRUE;

  if (company == NULL || company[0] == '\0' || (folded = lk_dedup_fold (company)) == NULL)
    return NULL;
  words = words_of (folded);
  /* "S.A.", "B.V.": trailing single letters are one word */
  while (words->len >= 2 &&
         strlen (g_ptr_array_index (words, words->len - 1)) == 1 &&
         strlen (g_ptr_array_index (words, words->len - 2)) <= 2 &&
         g_ascii_isalpha (((char *) g_ptr_array_index (words, words->len - 2))[0]) &&
         g_ascii_isalpha (((char *) g_ptr_array_index (words, words->len - 1))[0]) &&
         (words->len == 2 || strlen (g_ptr_array_index (words, words->len - 2)) == 1))
    {
      char *joined2 = g_strconcat (g_ptr_array_index (words, words->len - 2),
                                   g_ptr_array_index (words, words->len - 1), NULL);

      g_ptr_array_set_size (words, words->len - 1);
      g_free (g_ptr_array_index (words, words->len - 1));
      g_ptr_array_index (words, words->len - 1) = joined2;
    }
  n = words->len;
  /* Trailing legal-form words, but never the whole name ("Company AG"). */
  while (n > 1 && g_strv_contains (western_suffixes, g_ptr_array_index (words, n - 1)))
    n--;
  joined = join_words (words, n);
  len = strlen (joined);
  while (stripped)
    {
      stripped = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (cjk_suffixes); i++)
        {
          gsize slen = strlen (cjk_suffixes[i]);

          if (len > slen && strcmp (joined + len - slen, cjk_suffixes[i]) == 0)
            {
              len -= slen;
              joined[len] = '\0';
              stripped = TRUE;
              break;
            }
        }
    }
  return nonempty_or_null (g_steal_pointer (&joined));
}

/* "Anna Weber", "anna  weber" and "ＡＮＮＡ ＷＥＢＥＲ" give "annaweber". */
char *
lk_dedup_contact_key (const char *contact)
{
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) words = NULL;

  if (contact == NULL || contact[0] == '\0' || (folded = lk_dedup_fold (contact)) == NULL)
    return NULL;
  words = words_of (folded);
  return nonempty_or_null (join_words (words, words->len));
}

/**
 * lk_dedup_phone_key:
 * @default_region: the region of numbers written without a country code
 *
 * The number in E.164: "138 0013 8000", "+86 138-0013-8000" and
 * "008613800138000" give "+8613800138000".
 *
 * Returns: (transfer full) (nullable): the key; %NULL for no number or
 *   one that is not a possible number
 */
char *
lk_dedup_phone_key (const char *phone,
                    const char *default_region)
{
  if (phone == NULL || phone[0] == '\0')
    return NULL;
  return nonempty_or_null (lk_phone_to_e164 (phone, default_region, NULL));
}

/* " Li.Lei@Example.COM " gives "li.lei@example.com". */
char *
lk_dedup_email_key (const char *email)
{
  g_autofree char *folded = NULL;

  if (email == NULL || email[0] == '\0' || (folded = lk_dedup_fold (email)) == NULL)
    return NULL;
  return nonempty_or_null (g_strdup (g_strstrip (folded)));
}
