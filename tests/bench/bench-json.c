/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON reader benchmark (run on demand, not part of the test command):
 *   _build-rel/tests/bench/bench-json [N_PAGES]      (default 20)
 * or meson test -C _build-rel --benchmark bench-json -v (a release build:
 * meson setup _build-rel --buildtype=release).
 *
 * One page of the sync pull's _changes?include_docs=true answer, 5,000
 * leads of the shape bench-sync seeds (tests/bench/bench-sync.c), read
 * N_PAGES times by json-glib's immutable parser (what the pull used) and
 * by lk_json_parse(), after checking that both give the same tree. The
 * same page with every non-ASCII character written as a \uXXXX escape
 * (as Python's json.dumps writes) is read too, and the raw page one
 * result at a time (each result's text parsed and freed on its own), to
 * show what the size of the whole page's tree costs. Times are medians
 * over the pages of the thread's CPU time (the machine may be busy) for
 * building the tree and for freeing it (the pull frees each page), and
 * of the wall-clock time of both; × compares with json-glib reading the
 * same whole page. Prints a table. */
#include <locale.h>
#include <string.h>
#include <time.h>

#include "lk-json.h"

#define PAGE_LEADS 5000
#define DAY_MS     (24 * 3600 * (gint64) 1000)

/* --- Documents, as bench-sync seeds them --------------------------------- */

static const char * const brands[] = {
  "华信", "恒达", "中科", "东方", "金桥", "瑞丰", "远航", "博雅", "天成", "鼎盛", "新锐", "海川",
  "智汇", "星辰", "永泰", "安信", "宏图", "联创", "锦程", "立达",
};
static const struct
{
  const char *cn;
  const char *en;
  const char *industry;
} trades[] = {
  { "科技", "Technology", "软件与信息服务" },
  { "智能制造", "Manufacturing", "制造业" },
  { "医疗器械", "Medical", "医疗健康" },
  { "物流", "Logistics", "物流运输" },
  { "新能源", "Energy", "新能源" },
  { "电子", "Electronics", "电子元器件" },
  { "国际贸易", "Trading", "贸易" },
};
static const char * const cn_suffixes[] = { "有限公司", "股份有限公司", "集团有限公司" };
static const char * const en_words[] = {
  "Blue River", "Summit", "Apex", "Nova", "Harbor", "Vertex", "Northwind", "Crescent",
};
static const char * const en_suffixes[] = { "GmbH", "Ltd.", "Inc.", "Co., Ltd." };
static const struct
{
  const char *city;
  const char *region;
} places[] = {
  { "上海", "华东" }, { "杭州", "华东" }, { "苏州", "华东" }, { "北京", "华北" }, { "天津", "华北" },
  { "深圳", "华南" }, { "广州", "华南" }, { "成都", "西南" }, { "武汉", "华中" }, { "台北", "台灣" },
};
static const char * const family[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙" };
static const char * const given[] = { "伟", "芳", "娜", "敏", "静", "强", "磊", "建华", "晓燕", "志强", "婷婷" };
static const char * const first_names[] = { "Anna", "Lukas", "Emma", "James", "Sophie", "Daniel", "Laura" };
static const char * const last_names[] = { "Weber", "Schmidt", "Miller", "Fischer", "Brown", "Wagner" };
static const char * const cn_titles[] = { "采购经理", "总经理", "IT 主管", "财务总监", "技术负责人" };
static const char * const en_titles[] = { "Head of Procurement", "CTO", "Operations Manager", "IT Director" };
static const char * const sizes[] = { "1-49", "50-199", "200-999", "1000+" };
static const char * const sources[] = { "展会", "官网表单", "合作伙伴推荐", "线上研讨会", "搜索广告", "客户推荐" };
static const char * const campaigns[] = { "2024 上海工博会", "Hannover Messe 2024", "秋季线上研讨会", "" };
static const char * const needs[] = {
  "ERP 升级，预算待确认", "需要 200 台设备的报价", "Looking for a CRM integration with SAP",
  "试用后决定，关注售后服务", "",
};
static const char * const tags[] = { "重点客户", "比价中", "展会", "VIP", "续约", "trade-show", "价格敏感" };
static const char * const stages[] = { "new", "assigned", "contacted", "qualified", "proposal", "won", "lost" };
static const char * const grades[] = { "A", "B", "C" };
static const char * const temperatures[] = { "hot", "warm", "cold" };
static const char * const notes[] = {
  "客户希望下周安排演示。", "Asked for a quote in EUR, decision in Q3.", "", "电话未接通，已发微信。",
};

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ",\"%s\":", name);
  append_string (out, value);
}

static void
append_time (GString    *out,
             const char *name,
             gint64      ms)
{
  if (ms > 0)
    g_string_append_printf (out, ",\"%s\":%" G_GINT64_FORMAT, name, ms);
  else
    g_string_append_printf (out, ",\"%s\":null", name);
}

/* A random UUID of version 4's form, the same for the same seed. */
static char *
make_id (GRand *rand)
{
  guint32 parts[6];

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    parts[i] = g_rand_int (rand);
  return g_strdup_printf ("lead:%08x-%04x-4%03x-%04x-%04x%08x", parts[0], parts[1] & 0xffff,
                          parts[2] & 0xfff, 0x8000 | (parts[3] & 0x3fff), parts[4] & 0xffff, parts[5]);
}

/* One version-1 lead document (SYNC.md "Documents"), as the website form
 * or an export script would write it, with the _rev the server gave it. */
static void
append_lead (GString    *out,
             GRand      *rand,
             guint       i,
             const char *id,
             const char *rev,
             gint64      now)
{
  gboolean chinese = g_rand_int_range (rand, 0, 10) < 7;
  guint place = g_rand_int_range (rand, 0, G_N_ELEMENTS (places));
  guint trade = g_rand_int_range (rand, 0, G_N_ELEMENTS (trades));
  guint stage = g_rand_int_range (rand, 0, G_N_ELEMENTS (stages));
  gint64 created = now - g_rand_int_range (rand, 1, 400) * DAY_MS - g_rand_int_range (rand, 0, 86400000);
  gint64 entered = created + g_rand_int_range (rand, 0, 30) * DAY_MS;
  gint64 contacted = stage >= 2 ? entered - g_rand_int_range (rand, 0, 5) * DAY_MS : 0;
  gint64 budget = (gint64) g_rand_int_range (rand, 10, 5000) * 100000;
  const char *owner = stage == 0 ? NULL : (g_rand_boolean (rand) ? "user:manager" : "user:rep");
  g_autofree char *company = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *code = g_strdup_printf ("XS2024%06u", i + 1);
  guint n_tags = g_rand_int_range (rand, 0, 4);

  if (chinese)
    {
      company = g_strdup_printf ("%s%s%s%s", places[place].city, PICK (rand, brands), trades[trade].cn,
                                 PICK (rand, cn_suffixes));
      contact = g_strdup_printf ("%s%s", PICK (rand, family), PICK (rand, given));
      phone = g_strdup_printf ("+861%u%09u", 3 + g_rand_int_range (rand, 0, 7), i);
      email = g_strdup_printf ("buyer%u@example%u.cn", i, g_rand_int_range (rand, 0, 500));
    }
  else
    {
      company = g_strdup_printf ("%s %s %s", PICK (rand, en_words), trades[trade].en, PICK (rand, en_suffixes));
      contact = g_strdup_printf ("%s %s", PICK (rand, first_names), PICK (rand, last_names));
      phone = g_strdup_printf ("+4989%08u", i);
      email = g_strdup_printf ("contact%u@example%u.com", i, g_rand_int_range (rand, 0, 500));
    }

  g_string_append (out, "{\"_id\":");
  append_string (out, id);
  append_member (out, "_rev", rev);
  g_string_append (out, ",\"type\":\"lead\",\"schema\":1");
  append_member (out, "code", code);
  append_member (out, "company", company);
  append_member (out, "industry", trades[trade].industry);
  append_member (out, "company_size", PICK (rand, sizes));
  append_member (out, "contact", contact);
  append_member (out, "title", chinese ? PICK (rand, cn_titles) : PICK (rand, en_titles));
  append_member (out, "phone", phone);
  append_member (out, "email", email);
  append_member (out, "im", chinese && g_rand_boolean (rand) ? "wechat" : "");
  append_member (out, "region", chinese ? places[place].region : "Europe");
  append_member (out, "source", PICK (rand, sources));
  append_member (out, "campaign", PICK (rand, campaigns));
  append_member (out, "needs", PICK (rand, needs));
  g_string_append_printf (out, ",\"budget\":%" G_GINT64_FORMAT ",\"amount\":%" G_GINT64_FORMAT,
                          budget, budget / 100 * g_rand_int_range (rand, 50, 120));
  append_member (out, "currency", chinese ? "CNY" : "EUR");
  append_member (out, "grade", PICK (rand, grades));
  g_string_append_printf (out, ",\"score\":%d", g_rand_int_range (rand, 0, 101));
  append_member (out, "temperature", PICK (rand, temperatures));
  g_string_append_printf (out, ",\"bant\":{\"budget\":%s,\"authority\":%s,\"need\":%s,\"timeline\":%s}",
                          g_rand_boolean (rand) ? "true" : "false", g_rand_boolean (rand) ? "true" : "false",
                          g_rand_boolean (rand) ? "true" : "false", g_rand_boolean (rand) ? "true" : "false");
  g_string_append_printf (out, ",\"mql\":%s,\"sql\":%s", stage >= 2 ? "true" : "false", stage >= 3 ? "true" : "false");
  g_string_append (out, ",\"tags\":[");
  for (guint t = 0; t < n_tags; t++)
    {
      if (t > 0)
        g_string_append_c (out, ',');
      append_string (out, tags[(i + t * 3) % G_N_ELEMENTS (tags)]);
    }
  g_string_append_c (out, ']');
  if (owner != NULL)
    append_member (out, "owner", owner);
  else
    g_string_append (out, ",\"owner\":null");
  append_time (out, "assigned_at", owner != NULL ? created + DAY_MS : 0);
  append_member (out, "stage", stages[stage]);
  append_time (out, "stage_entered_at", entered);
  append_member (out, "lost_reason", g_str_equal (stages[stage], "lost") ? "价格太高" : "");
  append_time (out, "next_followup_at", stage < 5 ? now + g_rand_int_range (rand, -5, 20) * DAY_MS : 0);
  append_time (out, "first_contacted_at", contacted);
  append_time (out, "last_contacted_at", contacted);
  g_string_append_printf (out, ",\"consent\":%s,\"do_not_contact\":false", g_rand_boolean (rand) ? "true" : "false");
  append_member (out, "notes", PICK (rand, notes));
  append_time (out, "created_at", created);
  append_member (out, "created_by", "user:manager");
  append_time (out, "updated_at", entered);
  append_member (out, "updated_by", owner != NULL ? owner : "user:manager");
  g_string_append_c (out, '}');
}

/* --- The page ------------------------------------------------------------ */

/* A _changes?include_docs=true answer of PAGE_LEADS first revisions;
 * @spans gets the offset and length of each result in it. */
static GString *
make_page (GArray *spans)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  GString *page = g_string_new ("{\"results\":[\n");
  gint64 now = 1717286400000;

  for (guint i = 0; i < PAGE_LEADS; i++)
    {
      g_autofree char *id = make_id (rand);
      g_autofree char *rev = g_strdup_printf ("1-%08x%08x%08x%08x", g_rand_int (rand), g_rand_int (rand),
                                              g_rand_int (rand), g_rand_int (rand));

      gsize span[2];

      if (i > 0)
        g_string_append (page, ",\n");
      span[0] = page->len;
      g_string_append_printf (page, "{\"seq\":%u,\"id\":", i + 1);
      append_string (page, id);
      g_string_append (page, ",\"changes\":[{\"rev\":");
      append_string (page, rev);
      g_string_append (page, "}],\"doc\":");
      append_lead (page, rand, i, id, rev, now);
      g_string_append_c (page, '}');
      span[1] = page->len - span[0];
      g_array_append_vals (spans, span, 2);
    }
  g_string_append_printf (page, "\n],\n\"last_seq\":%u,\"pending\":0}\n", PAGE_LEADS);
  return page;
}

/* @page with every character beyond ASCII as a \uXXXX escape (a pair
 * beyond the BMP). */
static GString *
escape_page (GString *page)
{
  GString *out = g_string_sized_new (page->len * 2);

  for (const char *p = page->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
    }
  return out;
}

/* --- Timing -------------------------------------------------------------- */

typedef struct
{
  /* medians over the pages, milliseconds */
  double parse_ms;   /* CPU time of this thread building the tree */
  double free_ms;    /* CPU time of this thread freeing it */
  double wall_ms;    /* wall-clock time of both */
} Timing;

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static JsonNode *
parse_json_glib (const char *text,
                 gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) length, &error))
    g_error ("json-glib: %s", error->message);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
parse_lk_json (const char *text,
               gsize       length)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = lk_json_parse (text, (gssize) length, &error);

  if (root == NULL)
    g_error ("lk_json_parse: %s", error->message);
  return root;
}

typedef JsonNode *(*ParseFunc) (const char *text,
                                gsize       length);

/* The page in one go, or with @spans each result on its own (parsed and
 * freed before the next, as a reader handing out one document at a time
 * would). The pull frees each page's tree, so freeing is timed too. */
static void
read_page (ParseFunc  parse,
           GString   *page,
           GArray    *spans,
           double    *parse_ms,
           double    *free_ms)
{
  guint n = spans != NULL ? spans->len / 2 : 1;

  *parse_ms = *free_ms = 0;
  for (guint i = 0; i < n; i++)
    {
      const char *text = spans != NULL ? page->str + g_array_index (spans, gsize, 2 * i) : page->str;
      gsize length = spans != NULL ? g_array_index (spans, gsize, 2 * i + 1) : page->len;
      double start = cpu_ms ();
      JsonNode *root = parse (text, length);
      double parsed = cpu_ms ();

      json_node_unref (root);
      *parse_ms += parsed - start;
      *free_ms += cpu_ms () - parsed;
    }
}

static Timing
measure (ParseFunc  parse,
         GString   *page,
         GArray    *spans,
         guint      n_pages)
{
  g_autoptr(GArray) parse_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) free_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) wall_samples = g_array_new (FALSE, FALSE, sizeof (double));
  double parse_ms, free_ms;

  read_page (parse, page, spans, &parse_ms, &free_ms);   /* warm up */
  for (guint i = 0; i < n_pages; i++)
    {
      gint64 start = g_get_monotonic_time ();

      read_page (parse, page, spans, &parse_ms, &free_ms);
      g_array_append_val (wall_samples, (double) { (g_get_monotonic_time () - start) / 1000.0 });
      g_array_append_val (parse_samples, parse_ms);
      g_array_append_val (free_samples, free_ms);
    }
  return (Timing) { median (parse_samples), median (free_samples), median (wall_samples) };
}

static void
print_row (const char *what,
           const char *parser,
           GString    *page,
           Timing      timing,
           Timing      baseline)
{
  g_print ("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f× | %.2f× |\n", what, parser,
           page->len / 1e6 / (timing.parse_ms / 1000.0), timing.parse_ms, timing.parse_ms * 1000.0 / PAGE_LEADS,
           timing.free_ms, timing.parse_ms + timing.free_ms, timing.wall_ms,
           baseline.parse_ms / timing.parse_ms,
           (baseline.parse_ms + baseline.free_ms) / (timing.parse_ms + timing.free_ms));
}

int
main (int    argc,
      char **argv)
{
  guint n_pages = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GString) page = NULL;
  g_autoptr(GString) escaped = NULL;
  GString *pages[2];
  const char *names[2] = { "raw UTF-8 (as pouchdb-server)", "\\uXXXX escapes" };
  Timing glib, ours;

  setlocale (LC_ALL, "");
  if (n_pages == 0)
    n_pages = 20;
  page = make_page (spans);
  escaped = escape_page (page);
  pages[0] = page;
  pages[1] = escaped;

  /* The comparison is only worth something when the trees are the same. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(JsonNode) theirs = parse_json_glib (pages[i]->str, pages[i]->len);
      g_autoptr(JsonNode) ours_tree = parse_lk_json (pages[i]->str, pages[i]->len);

      if (!json_node_equal (theirs, ours_tree))
        g_error ("The trees of the %s page differ", names[i]);
    }

  g_print ("One _changes page: %u leads, %.2f MB raw, %.2f MB escaped; %u reads each, medians.\n\n",
           PAGE_LEADS, page->len / 1e6, escaped->len / 1e6, n_pages);
  g_print ("| page | parser | MB/s parsed | parse ms | parse µs per lead | free ms | parse + free ms "
           "| wall ms | × json-glib, parse | × json-glib, parse + free |\n");
  g_print ("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      glib = measure (parse_json_glib, pages[i], NULL, n_pages);
      ours = measure (parse_lk_json, pages[i], NULL, n_pages);
      print_row (names[i], "json-glib (JsonParser)", pages[i], glib, glib);
      print_row (names[i], "lk_json_parse", pages[i], ours, glib);
    }

  /* Not what the pull does today: the whole page's tree (hundreds of
   * thousands of small blocks) no longer fits in the caches, and much of
   * the time above goes to that. */
  glib = measure (parse_json_glib, page, NULL, n_pages);
  ours = measure (parse_json_glib, page, spans, n_pages);
  print_row ("raw, one result at a time", "json-glib (JsonParser)", page, ours, glib);
  ours = measure (parse_lk_json, page, spans, n_pages);
  print_row ("raw, one result at a time", "lk_json_parse", page, ours, glib);
  return 0;
}
