/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-bench-leads.h"

#define DAY_MS LK_BENCH_DAY_MS

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

void
lk_bench_append_string (GString    *out,
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
  lk_bench_append_string (out, value);
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
char *
lk_bench_lead_id (GRand *rand)
{
  guint32 parts[6];

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    parts[i] = g_rand_int (rand);
  return g_strdup_printf ("lead:%08x-%04x-4%03x-%04x-%04x%08x", parts[0], parts[1] & 0xffff,
                          parts[2] & 0xfff, 0x8000 | (parts[3] & 0x3fff), parts[4] & 0xffff, parts[5]);
}

/* One version-1 lead document (SYNC.md "Documents"), as the website form
 * or an export script would write it; with @rev (nullable), the _rev the
 * server gave it. */
void
lk_bench_append_lead (GString    *out,
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
  lk_bench_append_string (out, id);
  if (rev != NULL)
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
      lk_bench_append_string (out, tags[(i + t * 3) % G_N_ELEMENTS (tags)]);
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
