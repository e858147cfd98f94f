/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-search-tokenizer.h"

/* The search index's tokenizer: one FTS5 table (leads_search) answers
 * every search as the user types it, from the first key.
 *
 * A lead's text is cut into runs at white space (its fields are joined by
 * newlines), folded to lower case, and each run of n characters gives n
 * tokens, in this order:
 *  - its trigrams, at consecutive positions: a term of three characters
 *    or more is the phrase of its own trigrams, so "华信科技" and "yer12"
 *    match anywhere inside a run, as with SQLite's trigram tokenizer;
 *  - its last two characters, then its last one: with the trigrams, every
 *    substring of one or two characters is the start of some token, so a
 *    short term is a prefix query ("陈" *, "+8" *);
 *  - after those, a token per word of letters or digits that is not
 *    Chinese, Japanese or Korean: LK_SEARCH_WORD_MARK and the word's first
 *    one or two letters. A one- or two-letter word typed on its own asks
 *    for the words that begin with it ("hu" finds Huaxin, "n" Northwind),
 *    not for every lead with an "n" somewhere.
 * The trigrams stay consecutive: the tail and word tokens follow a run's
 * trigrams, and no two-character or one-character token can be part of a
 * phrase of trigrams.
 *
 * It replaces two tables (SQLite's trigram tokenizer for long terms and a
 * table of one- and two-character grams for short ones): about half the
 * tokens, one table to write, and a 100,000-lead import searchable in a
 * third of the time (tests/bench/bench-import.c). */

gboolean
lk_search_is_separator (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
  return g_unichar_isspace (c);
}

static gboolean
is_cjk (gunichar c)
{
  return g_unichar_iswide (c) && g_unichar_isalnum (c);
}

/* A letter or digit of a word that has word tokens. */
static gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);
  /* Most of a Chinese lead's text: CJK punctuation, kana and the unified
   * ideographs, none of them a word's, without looking them up. */
  if (c >= 0x3000 && c <= 0x9fff)
    return FALSE;
  return g_unichar_isalnum (c) && !is_cjk (c);
}

/* The character at @p (before @end), and its length in bytes in *@len. An
 * invalid byte is a character of its own, (gunichar) -1. */
static gunichar
next_char (const char *p,
           const char *end,
           int        *len)
{
  gunichar c = (guchar) *p;

  if (c < 0x80)
    {
      *len = 1;
      return c;
    }
  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *len = 1;
      return (gunichar) -1;
    }
  *len = g_utf8_next_char (p) - p;
  return c;
}

/* One run of characters, folded, with where each character starts in the
 * text (orig) and in the folded bytes (fold); both have n + 1 entries. */
typedef struct
{
  char    *folded;
  int     *orig;
  int     *fold;
  guint8  *word;
  int      n;
} Run;

typedef int (*TokenFunc) (void *, int, const char *, int, int, int);

static int
emit (TokenFunc  token,
      void      *ctx,
      Run       *run,
      int        from,
      int        to)
{
  return token (ctx, 0, run->folded + run->fold[from], run->fold[to] - run->fold[from],
                run->orig[from], run->orig[to]);
}

static int
emit_document_run (TokenFunc  token,
                   void      *ctx,
                   Run       *run)
{
  int n = run->n;
  int rc = SQLITE_OK;

  for (int i = 0; rc == SQLITE_OK && i + 3 <= n; i++)
    rc = emit (token, ctx, run, i, i + 3);
  if (rc == SQLITE_OK && n >= 2)
    rc = emit (token, ctx, run, n - 2, n);
  if (rc == SQLITE_OK)
    rc = emit (token, ctx, run, n - 1, n);
  for (int i = 0; rc == SQLITE_OK && i < n; i++)
    if (run->word[i] && (i == 0 || !run->word[i - 1]))
      {
        int to = i + 1 < n && run->word[i + 1] ? i + 2 : i + 1;
        int len = run->fold[to] - run->fold[i];
        char mark[1 + 8];

        mark[0] = LK_SEARCH_WORD_MARK[0];
        memcpy (mark + 1, run->folded + run->fold[i], len);
        rc = token (ctx, 0, mark, 1 + len, run->orig[i], run->orig[to]);
      }
  return rc;
}

/* A query's phrase: its trigrams, or the whole run when it is shorter
 * (the prefix of a short term). */
static int
emit_query_run (TokenFunc  token,
                void      *ctx,
                Run       *run)
{
  int rc = SQLITE_OK;

  if (run->n < 3)
    return emit (token, ctx, run, 0, run->n);
  for (int i = 0; rc == SQLITE_OK && i + 3 <= run->n; i++)
    rc = emit (token, ctx, run, i, i + 3);
  return rc;
}

static int
tokenize (Fts5Tokenizer *tokenizer,
          void          *ctx,
          int            flags,
          const char    *text,
          int            n_text,
          TokenFunc      token)
{
  const char *p = text;
  const char *end = text + MAX (n_text, 0);
  gboolean query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  g_autofree char *folded = NULL;
  g_autofree int *orig = NULL;
  g_autofree int *fold = NULL;
  g_autofree guint8 *word = NULL;
  Run run;
  int rc = SQLITE_OK;

  (void) tokenizer;
  if (n_text <= 0)
    return SQLITE_OK;
  /* Lower case is at most one and a half times as long in UTF-8 (the
   * longest growth is two bytes to three). */
  folded = g_malloc (2 * (gsize) n_text + 8);
  orig = g_new (int, n_text + 1);
  fold = g_new (int, n_text + 1);
  word = g_new (guint8, n_text + 1);
  run.folded = folded;
  run.orig = orig;
  run.fold = fold;
  run.word = word;

  while (rc == SQLITE_OK && p < end)
    {
      int len;
      gunichar c = next_char (p, end, &len);
      int n_folded = 0;

      if (c != (gunichar) -1 && lk_search_is_separator (c))
        {
          p += len;
          continue;
        }
      run.n = 0;
      while (p < end)
        {
          c = next_char (p, end, &len);
          if (c != (gunichar) -1 && lk_search_is_separator (c))
            break;
          orig[run.n] = (int) (p - text);
          fold[run.n] = n_folded;
          word[run.n] = c != (gunichar) -1 && is_word_char (c);
          if (c == (gunichar) -1)
            folded[n_folded++] = *p;
          else if (c < 0x80)
            folded[n_folded++] = g_ascii_tolower ((char) c);
          else
            n_folded += g_unichar_to_utf8 (g_unichar_tolower (c), folded + n_folded);
          run.n++;
          p += len;
        }
      orig[run.n] = (int) (p - text);
      fold[run.n] = n_folded;
      rc = query ? emit_query_run (token, ctx, &run) : emit_document_run (token, ctx, &run);
    }
  return rc;
}

static int
tokenizer_create (void            *context,
                  const char     **args,
                  int              n_args,
                  Fts5Tokenizer  **out)
{
  (void) context;
  (void) args;
  if (n_args > 0)
    return SQLITE_ERROR;
  /* It keeps no state: FTS5 only needs a handle that is not NULL. */
  *out = (Fts5Tokenizer *) g_new0 (char, 1);
  return SQLITE_OK;
}

static void
tokenizer_delete (Fts5Tokenizer *tokenizer)
{
  g_free (tokenizer);
}

/**
 * lk_search_tokenizer_register:
 *
 * Makes the search index's tokenizer known to @db: every connection that
 * reads or writes the table leads_search needs it.
 */
gboolean
lk_search_tokenizer_register (sqlite3  *db,
                              GError  **error)
{
  /* FTS5 keeps a copy of the methods */
  fts5_tokenizer methods = { tokenizer_create, tokenizer_delete, tokenize };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (api == NULL || api->iVersion < 2 ||
      api->xCreateTokenizer (api, LK_SEARCH_TOKENIZER, NULL, &methods, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_DATABASE,
                   _("This SQLite has no full-text search (FTS5), which Leadkeeper needs for its search"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_word (const char *term)
{
  for (const char *p = term; *p; p = g_utf8_next_char (p))
    if (!is_word_char (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
append_quoted (GString    *match,
               const char *text)
{
  g_string_append_c (match, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/**
 * lk_search_append_term:
 * @match: an FTS5 query for leads_search, or ""
 * @term: one term as typed, without white space (lk_search_is_separator)
 *
 * ANDs @term to @match: the phrase of its trigrams when it has three
 * characters or more; else a prefix query, of the words that begin with
 * it when it is one or two letters or digits, of any substring when not.
 * Whatever the user typed is matched literally, never parsed as query
 * syntax.
 */
void
lk_search_append_term (GString    *match,
                       const char *term)
{
  glong len = g_utf8_strlen (term, -1);

  if (len == 0)
    return;
  if (match->len > 0)
    g_string_append (match, " AND ");
  if (len >= 3)
    append_quoted (match, term);
  else if (is_word (term))
    {
      g_autofree char *marked = g_strconcat (LK_SEARCH_WORD_MARK, term, NULL);

      append_quoted (match, marked);
      g_string_append (match, " *");
    }
  else
    {
      append_quoted (match, term);
      g_string_append (match, " *");
    }
}
