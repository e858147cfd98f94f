/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Document ⇄ record benchmark (run on demand, not part of the test command):
 *   _build/tests/bench/bench-doc [N_LEADS [ROUNDS]]     (default 100,000 and 3)
 * or meson test -C _build --benchmark bench-doc -v.
 *
 * N_LEADS version-1 lead documents shaped like bench-sync's seeded leads
 * (the same generator, plus the "_rev" a pulled document carries) are
 * parsed in pages of 500 by an immutable parser, as the sync client parses
 * a page of _changes. Each page is read by lk_doc_to_record() and written
 * back by lk_doc_from_record(), first each direction over the whole page
 * (the first two columns), then one document after the other with both
 * frees, as the sync client's apply does (the third column; GLib 2.74's
 * slice allocator serves a few nodes freed just before faster than a
 * page's worth). A second set has, in every document, members this
 * version does not know (top-level and inside "bant"), which are carried
 * in the record's "extra". Only the conversions are timed, in CPU time of
 * this thread; the table gives µs per document, best and median of ROUNDS.
 * The digest is of every written document's text: equal digests before and
 * after a change to lk-doc mean the same documents came out. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lk-doc.h"

#define PAGE_SIZE  500
#define DAY_MS     (24 * 3600 * (gint64) 1000)
#define NOW_MS     G_GINT64_CONSTANT (1717200000000)   /* fixed, for a stable digest */

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
 * or an export script would write it. */
static void
append_lead (GString    *out,
             GRand      *rand,
             guint       i,
             const char *id,
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

/* Members another program may have added: kept in "extra", written back. */
static void
append_unknown (GString *out,
                guint    i)
{
  g_string_truncate (out, out->len - 1);
  g_string_append_printf (out, ",\"utm\":{\"source\":\"baidu\",\"medium\":\"cpc\",\"id\":%u}"
                          ",\"wechat_openid\":\"o%08u\",\"website_score\":%u.5}", i, i, i % 100);
  /* …and one unknown key in the known object "bant". */
  {
    const char *bant = strstr (out->str, "\"bant\":{");

    g_assert (bant != NULL);
    g_string_insert (out, bant - out->str + 8, "\"champion\":\"李伟\",");
  }
}

static double
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  double to_us;     /* lk_doc_to_record, summed */
  double from_us;   /* lk_doc_from_record, summed */
  double both_us;   /* both and the frees, one document after the other */
} Times;

/* One pass over @n_leads documents. With @digest, every written document's
 * text goes into it (not timed). */
static Times
run (guint      n_leads,
     gboolean   unknown,
     GChecksum *digest)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  Times times = { 0, 0, 0 };

  for (guint first = 0; first < n_leads; first += PAGE_SIZE)
    {
      g_autoptr(GString) page = g_string_new ("[");
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GError) error = NULL;
      guint last = MIN (first + PAGE_SIZE, n_leads);
      JsonArray *array;
      double t;

      for (guint i = first; i < last; i++)
        {
          g_autofree char *id = make_id (rand);
          g_autoptr(GString) doc = g_string_new (NULL);

          append_lead (doc, rand, i, id, NOW_MS);
          /* The revision a pulled document carries, after "_id". */
          g_string_insert (doc, strlen ("{\"_id\":") + strlen (id) + 2,
                           ",\"_rev\":\"1-967a00dff5e02add41819138abb3284d\"");
          if (unknown)
            append_unknown (doc, i);
          if (i > first)
            g_string_append_c (page, ',');
          g_string_append_len (page, doc->str, doc->len);
        }
      g_string_append_c (page, ']');
      if (!json_parser_load_from_data (parser, page->str, page->len, &error))
        g_error ("%s", error->message);
      array = json_node_get_array (json_parser_get_root (parser));

      t = cpu_us ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          LkRecord *record = lk_doc_to_record (json_array_get_object_element (array, i), &error);

          if (record == NULL)
            g_error ("%s", error->message);
          g_ptr_array_add (records, record);
        }
      times.to_us += cpu_us () - t;

      t = cpu_us ();
      for (guint i = 0; i < records->len; i++)
        g_ptr_array_add (docs, lk_doc_from_record (records->pdata[i]));
      times.from_us += cpu_us () - t;

      /* As the sync client applies a page: each document read, written
       * back in canonical form, both freed before the next. */
      t = cpu_us ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(LkRecord) record = lk_doc_to_record (json_array_get_object_element (array, i), NULL);
          g_autoptr(JsonObject) doc = lk_doc_from_record (record);
        }
      times.both_us += cpu_us () - t;

      for (guint i = 0; digest != NULL && i < docs->len; i++)
        {
          g_autofree char *text = lk_doc_to_string (docs->pdata[i], FALSE);

          g_checksum_update (digest, (const guchar *) text, -1);
        }
    }
  return times;
}

int
main (int    argc,
      char **argv)
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 3;
  static const char * const sets[] = { "seeded leads", "with unknown members" };

  setlocale (LC_ALL, "");
  if (n_leads == 0 || rounds == 0)
    g_error ("usage: bench-doc [N_LEADS [ROUNDS]]");

  printf ("%u lead documents, %u rounds, CPU time per document (best / median)\n\n", n_leads, rounds);
  printf ("| documents | lk_doc_to_record | lk_doc_from_record | both, interleaved, frees included | digest |\n");
  printf ("|---|---|---|---|---|\n");
  for (guint set = 0; set < G_N_ELEMENTS (sets); set++)
    {
      g_autoptr(GArray) to = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) from = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) both = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);

      for (guint r = 0; r < rounds; r++)
        {
          Times times = run (n_leads, set == 1, r == 0 ? digest : NULL);
          double to_us = times.to_us / n_leads;
          double from_us = times.from_us / n_leads;
          double both_us = times.both_us / n_leads;

          g_array_append_val (to, to_us);
          g_array_append_val (from, from_us);
          g_array_append_val (both, both_us);
        }
      g_array_sort (to, compare_doubles);
      g_array_sort (from, compare_doubles);
      g_array_sort (both, compare_doubles);
      printf ("| %s | %.2f µs / %.2f µs | %.2f µs / %.2f µs | %.2f µs / %.2f µs | %.12s |\n", sets[set],
              g_array_index (to, double, 0), g_array_index (to, double, to->len / 2),
              g_array_index (from, double, 0), g_array_index (from, double, from->len / 2),
              g_array_index (both, double, 0), g_array_index (both, double, both->len / 2),
              g_checksum_get_string (digest));
      fflush (stdout);
    }
  return 0;
}
