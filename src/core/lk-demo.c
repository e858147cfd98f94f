/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-demo"

#include <glib/gi18n-lib.h>

#include "lk-demo.h"
#include "lk-error.h"

/* Sample data a sales manager recognises: Chinese and Western companies,
 * leads spread over the stages with their history, follow-ups by phone
 * and WeChat, several reps and a pool. The same seed gives the same data,
 * so benchmarks and screenshots are repeatable. */

#define BATCH 2000
#define DAY_MS (24 * 3600 * (gint64) 1000)

static const struct
{
  const char *name;
  const char *display;
  const char *role;
  gboolean    senior;
  const char *region;
} team[] = {
  { "lilei",     "李雷",        "manager", TRUE,  "华东" },
  { "hanmeimei", "韩梅梅",      "rep",     TRUE,  "华东" },
  { "wangfang",  "王芳",        "rep",     FALSE, "华南" },
  { "zhangwei",  "张伟",        "rep",     FALSE, "华北" },
  { "chenyating", "陳雅婷",     "rep",     FALSE, "台灣" },
  { "anna",      "Anna Weber",  "rep",     TRUE,  "Europe" },
};

static const struct
{
  const char *cn;
  const char *ascii;
} brands[] = {
  { "华信", "huaxin" }, { "恒达", "hengda" }, { "中科", "zhongke" }, { "东方", "dongfang" },
  { "金桥", "jinqiao" }, { "瑞丰", "ruifeng" }, { "远航", "yuanhang" }, { "博雅", "boya" },
  { "天成", "tiancheng" }, { "鼎盛", "dingsheng" }, { "新锐", "xinrui" }, { "海川", "haichuan" },
  { "智汇", "zhihui" }, { "星辰", "xingchen" }, { "永泰", "yongtai" }, { "安信", "anxin" },
  { "宏图", "hongtu" }, { "联创", "lianchuang" }, { "锦程", "jincheng" }, { "立达", "lida" },
  { "凯盛", "kaisheng" }, { "同方", "tongfang" }, { "汇通", "huitong" }, { "启明", "qiming" },
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
  { "教育科技", "Learning", "教育" },
  { "新能源", "Energy", "新能源" },
  { "电子", "Electronics", "电子元器件" },
  { "餐饮管理", "Foods", "餐饮零售" },
  { "国际贸易", "Trading", "贸易" },
};

static const char * const cn_suffixes[] = { "有限公司", "股份有限公司", "集团有限公司" };
static const char * const en_words[] = {
  "Blue River", "Summit", "Apex", "Nova", "Pinewood", "Harbor", "Vertex", "Northwind",
  "Silverline", "Crescent", "Greenfield", "Brightway",
};
static const char * const en_suffixes[] = { "Ltd.", "Inc.", "GmbH", "Co., Ltd." };
static const char * const cities[] = {
  "上海", "北京", "深圳", "杭州", "广州", "成都", "苏州", "南京", "台北", "新竹", "香港", "武汉",
};
static const char * const family[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
  "何", "林", "罗", "高",
};
static const char * const given[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
  "超", "秀英", "建华", "志强", "晓燕", "海涛", "婷婷", "子轩",
};
static const char * const first_names[] = {
  "Anna", "Lukas", "Emma", "James", "Sophie", "Daniel", "Olivia", "Michael", "Laura", "Thomas",
};
static const char * const last_names[] = {
  "Müller", "Smith", "Schneider", "Johnson", "Brown", "Fischer", "Martin", "Wilson", "Weber", "Taylor",
};
static const char * const titles_cn[] = {
  "采购经理", "总经理", "IT主管", "运营总监", "技术总监", "行政经理", "财务总监", "市场部经理",
};
static const char * const titles_en[] = {
  "Purchasing Manager", "CEO", "Head of IT", "Operations Director", "CTO", "Office Manager",
};
static const char * const sources[] = {
  "website", "exhibition", "exhibition", "partner", "webinar", "search_ads", "referral", "cold_call",
};
static const char * const campaigns[] = {
  "2024 上海工博会", "广交会 2024 秋季", "CeBIT Asia 2024", "2024 数字化转型线上研讨会", "台北國際電腦展 2024",
};
static const char * const tag_pool[] = {
  "价格敏感", "对比竞品", "决策链长", "老客户转介绍", "VIP", "急需", "price-sensitive", "budget approved",
};
static const char * const needs[] = {
  "需要一套覆盖 200 人的 CRM 系统，希望年底前上线",
  "想了解私有化部署方案和报价",
  "正在对比三家供应商，关注售后响应速度",
  "Looking for an offline-capable sales tool for field reps",
  "预算已批，需要尽快安排演示",
  "Needs integration with their ERP before Q3",
};
static const char * const followup_summaries[] = {
  "电话沟通需求，客户对价格比较敏感",
  "微信发送了产品资料和案例",
  "上门拜访，见到了采购负责人",
  "Sent the proposal and pricing sheet",
  "演示了移动端功能，客户反馈良好",
  "客户表示需要内部讨论，下周再联系",
};
static const char * const methods[] = { "phone", "wechat", "email", "visit", "meeting", "phone" };
static const char * const next_steps[] = {
  "发送修改后的报价", "安排产品演示", "约技术负责人开会", "Send the revised quote", "跟进试用反馈",
};

/* Where the leads end up, in percent: a funnel that narrows. */
static const struct
{
  const char *stage;
  guint       share;
} distribution[] = {
  { "new", 18 }, { "assigned", 14 }, { "contacted", 20 }, { "qualified", 14 },
  { "proposal", 10 }, { "won", 10 }, { "lost", 14 },
};

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static const char *
pick_stage (GRand *rand)
{
  guint roll = (guint) g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (distribution); i++)
    {
      if (roll < distribution[i].share)
        return distribution[i].stage;
      roll -= distribution[i].share;
    }
  return "new";
}

static void
fill_identity (LkRecord *record,
               GRand    *rand,
               guint     n)
{
  g_autofree char *company = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *code = NULL;
  guint trade = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (trades));
  gboolean western = g_rand_int_range (rand, 0, 100) < 22;
  gboolean taiwan = !western && g_rand_int_range (rand, 0, 100) < 12;

  if (western)
    {
      const char *first = PICK (rand, first_names);
      const char *last = PICK (rand, last_names);
      g_autofree char *slug = NULL;

      company = g_strdup_printf ("%s %s %s", PICK (rand, en_words), trades[trade].en, PICK (rand, en_suffixes));
      contact = g_strdup_printf ("%s %s", first, last);
      slug = g_ascii_strdown (first, -1);
      email = g_strdup_printf ("%s.%u@%s-%s.com", slug, n % 97,
                               trades[trade].en[0] == 'T' ? "tech" : "corp", slug);
      phone = g_strdup_printf ("+49 30 %04d %04d", g_rand_int_range (rand, 1000, 9999),
                               g_rand_int_range (rand, 1000, 9999));
      lk_record_set_string (record, LK_LEAD_TITLE, PICK (rand, titles_en));
      lk_record_set_string (record, LK_LEAD_REGION, "Europe");
    }
  else
    {
      guint brand = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (brands));
      const char *city = taiwan ? (g_rand_boolean (rand) ? "台北" : "新竹") : PICK (rand, cities);

      company = g_strdup_printf ("%s%s%s%s", city, brands[brand].cn, trades[trade].cn,
                                 PICK (rand, cn_suffixes));
      contact = g_strconcat (PICK (rand, family), PICK (rand, given), NULL);
      email = g_strdup_printf ("sales%u@%s.com.cn", n % 1000, brands[brand].ascii);
      if (taiwan)
        phone = g_strdup_printf ("09%08d", g_rand_int_range (rand, 10000000, 99999999));
      else
        phone = g_strdup_printf ("1%d%d %04d %04d", g_rand_int_range (rand, 3, 10), g_rand_int_range (rand, 0, 10),
                                 g_rand_int_range (rand, 0, 10000), g_rand_int_range (rand, 0, 10000));
      lk_record_set_string (record, LK_LEAD_TITLE, PICK (rand, titles_cn));
      lk_record_set_string (record, LK_LEAD_REGION, taiwan ? "台灣" : city);
    }
  if (taiwan)
    {
      /* A Taiwanese number written nationally: normalised with +886. */
      g_autofree char *intl = g_strdup_printf ("+886 %s", phone + 1);

      g_free (phone);
      phone = g_steal_pointer (&intl);
    }
  code = g_strdup_printf ("XS2024%05u", n + 1);
  lk_record_set_string (record, LK_LEAD_CODE, code);
  lk_record_set_string (record, LK_LEAD_COMPANY, company);
  lk_record_set_string (record, LK_LEAD_CONTACT, contact);
  lk_record_set_string (record, LK_LEAD_EMAIL, email);
  lk_record_set_string (record, LK_LEAD_PHONE, phone);
  lk_record_set_string (record, LK_LEAD_INDUSTRY, trades[trade].industry);
  lk_record_set_string (record, LK_LEAD_COMPANY_SIZE, PICK (rand, ((const char * const[]) { "1-49", "50-199", "200-999", "1000+" })));
}

static void
fill_qualification (LkRecord   *record,
                    GRand      *rand,
                    const char *stage)
{
  static const char * const grades[] = { "A", "B", "B", "C", "C" };
  const char *grade = PICK (rand, grades);
  gboolean late = g_str_equal (stage, "qualified") || g_str_equal (stage, "proposal") ||
                  g_str_equal (stage, "won");
  gint64 amount = (gint64) g_rand_int_range (rand, 8, 600) * 1000 * 100;  /* ¥8,000 – ¥600,000 */
  const char *tags[4] = { NULL };
  guint n_tags = (guint) g_rand_int_range (rand, 0, 3);

  if (late && g_rand_boolean (rand))
    grade = "A";
  lk_record_set_string (record, LK_LEAD_GRADE, grade);
  lk_record_set_string (record, LK_LEAD_TEMPERATURE,
                        grade[0] == 'A' ? "hot" : grade[0] == 'B' ? "warm" : "cold");
  lk_record_set_int (record, LK_LEAD_SCORE, grade[0] == 'A' ? g_rand_int_range (rand, 70, 100)
                                           : grade[0] == 'B' ? g_rand_int_range (rand, 40, 70)
                                           : g_rand_int_range (rand, 5, 40));
  lk_record_set_string (record, LK_LEAD_SOURCE, PICK (rand, sources));
  if (g_str_equal (lk_record_get_string (record, LK_LEAD_SOURCE), "exhibition"))
    lk_record_set_string (record, LK_LEAD_CAMPAIGN, PICK (rand, campaigns));
  lk_record_set_string (record, LK_LEAD_NEEDS, PICK (rand, needs));
  if (late || g_rand_int_range (rand, 0, 100) < 30)
    lk_record_set_int (record, LK_LEAD_AMOUNT, amount);
  lk_record_set_int (record, LK_LEAD_BUDGET, late ? amount + amount / 5 : 0);
  lk_record_set_bool (record, LK_LEAD_BANT_BUDGET, late || g_rand_boolean (rand));
  lk_record_set_bool (record, LK_LEAD_BANT_AUTHORITY, late && g_rand_boolean (rand));
  lk_record_set_bool (record, LK_LEAD_BANT_NEED, late || g_rand_int_range (rand, 0, 100) < 40);
  lk_record_set_bool (record, LK_LEAD_BANT_TIMELINE, late && g_rand_boolean (rand));
  lk_record_set_bool (record, LK_LEAD_MQL, !g_str_equal (stage, "new"));
  lk_record_set_bool (record, LK_LEAD_SQL, late);
  lk_record_set_bool (record, LK_LEAD_CONSENT, g_rand_int_range (rand, 0, 100) < 70);
  for (guint i = 0; i < n_tags; i++)
    tags[i] = PICK (rand, tag_pool);
  lk_record_set_tags (record, LK_LEAD_TAGS, tags);
}

static void
add_followups (GPtrArray *batch,
               LkLead    *lead,
               GRand     *rand,
               gint64     from,
               gint64     to)
{
  LkRecord *record = LK_RECORD (lead);
  guint n = (guint) g_rand_int_range (rand, 1, 4);
  gint64 first = 0, last = 0;

  for (guint i = 0; i < n; i++)
    {
      LkActivity *activity = lk_activity_new (lk_record_get_id (record), "followup");
      LkRecord *a = LK_RECORD (activity);
      gint64 at = from + (to - from) * (i + 1) / (n + 1);

      lk_record_ensure_id (a);
      lk_record_set_int (a, LK_ACTIVITY_AT, at);
      lk_record_set_string (a, LK_ACTIVITY_BY, lk_lead_get_owner (lead));
      lk_record_set_string (a, LK_ACTIVITY_METHOD, PICK (rand, methods));
      lk_record_set_string (a, LK_ACTIVITY_SUMMARY, PICK (rand, followup_summaries));
      lk_record_set_string (a, LK_ACTIVITY_NEXT_STEP, PICK (rand, next_steps));
      g_ptr_array_add (batch, activity);
      first = first ? first : at;
      last = at;
    }
  lk_record_set_int (record, LK_LEAD_FIRST_CONTACTED_AT, first);
  lk_record_set_int (record, LK_LEAD_LAST_CONTACTED_AT, last);
}

static void
add_stage_change (GPtrArray  *batch,
                  LkLead     *lead,
                  const char *from,
                  const char *to,
                  const char *reason,
                  gint64      at,
                  const char *by)
{
  LkStageChange *change = lk_stage_change_new (lk_record_get_id (LK_RECORD (lead)), from, to);
  LkRecord *record = LK_RECORD (change);

  lk_record_ensure_id (record);
  lk_record_set_int (record, LK_STAGE_CHANGE_AT, at);
  lk_record_set_string (record, LK_STAGE_CHANGE_BY, by);
  lk_record_set_string (record, LK_STAGE_CHANGE_REASON, reason);
  g_ptr_array_add (batch, change);
}

/* One lead as it stands today, with the stage changes and follow-ups that
 * brought it there, appended to @batch. */
static void
make_lead (GPtrArray  *batch,
           const char *currency,
           LkPipeline *pipeline,
           LkClock    *clock,
           GRand      *rand,
           guint       n,
           gint64      now)
{
  LkLead *lead = lk_lead_new ();
  LkRecord *record = LK_RECORD (lead);
  const char *target = pick_stage (rand);
  int target_pos = lk_pipeline_get_position (pipeline, target);
  gint64 created = now - (gint64) g_rand_int_range (rand, 1, 180) * DAY_MS
                       - (gint64) g_rand_int_range (rand, 0, 24 * 60) * 60000;
  gboolean pool = g_str_equal (target, "new") && g_rand_int_range (rand, 0, 100) < 60;
  gint64 at, step;
  const char *previous = "new";
  char owner[64];

  /* A rep's lead not yet contacted is a recent one: the pool takes back
   * those left alone for 48 hours (lk-pool), and would empty Assigned. */
  if (!pool && target_pos <= 1)
    created = now - (gint64) g_rand_int_range (rand, 1, 40) * 3600 * 1000
                  - (gint64) g_rand_int_range (rand, 0, 60) * 60000;
  at = created;
  step = (now - created) / (target_pos + 2);

  g_ptr_array_add (batch, lead);
  lk_record_ensure_id (record);
  lk_record_set_string (record, LK_LEAD_CURRENCY, currency);
  fill_identity (record, rand, n);
  fill_qualification (record, rand, target);
  g_snprintf (owner, sizeof owner, "user:%s", team[g_rand_int_range (rand, 0, G_N_ELEMENTS (team))].name);
  lk_record_set_string (record, LK_LEAD_OWNER, pool ? NULL : owner);
  lk_record_set_int (record, LK_LEAD_CREATED_AT, created);
  lk_record_set_string (record, LK_LEAD_CREATED_BY, pool ? "user:lilei" : owner);
  if (!pool)
    lk_record_set_int (record, LK_LEAD_ASSIGNED_AT, created + step / 4);
  add_stage_change (batch, lead, NULL, "new", NULL, created, lk_record_get_string (record, LK_LEAD_CREATED_BY));

  /* Walk the pipeline to the target, as the rep did, with the follow-ups
   * on the way; a lost lead drops out somewhere along it. */
  for (int pos = 1; pos <= target_pos; pos++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), pos);
      const char *id = lk_stage_get_id (stage);
      const char *reason = NULL;

      if (g_str_equal (id, "won") && g_str_equal (target, "lost"))
        continue;
      if (g_str_equal (id, "lost"))
        {
          reason = lk_pipeline_get_lost_reasons ()[g_rand_int_range (rand, 0, 8)];
          lk_record_set_string (record, LK_LEAD_LOST_REASON, reason);
        }
      else if (g_str_equal (target, "lost") && pos > 1 && pos < target_pos - 1 &&
               g_rand_int_range (rand, 0, 100) < 35)
        {
          /* Lost early: skip ahead to Lost. */
          pos = target_pos - 1;
          continue;
        }
      at += step + g_rand_int_range (rand, 0, (int) MIN (step / 2 + 1, G_MAXINT));
      at = MIN (at, now - 3600 * 1000);
      if (g_str_equal (id, "contacted"))
        add_followups (batch, lead, rand, at - step / 2, at);
      add_stage_change (batch, lead, previous, id, reason, at, owner);
      previous = id;
    }
  lk_record_set_string (record, LK_LEAD_STAGE, target);
  lk_record_set_int (record, LK_LEAD_STAGE_ENTERED_AT, at);
  lk_record_set_int (record, LK_LEAD_UPDATED_AT, at);
  lk_record_set_string (record, LK_LEAD_UPDATED_BY, pool ? "user:lilei" : owner);

  /* The next follow-up: some overdue, some today, some planned, some none. */
  if (!lk_stage_is_terminal (lk_pipeline_lookup (pipeline, target)))
    {
      int roll = g_rand_int_range (rand, 0, 100);
      gint64 next = 0;

      if (roll < 20)
        next = now - (gint64) g_rand_int_range (rand, 1, 10) * DAY_MS;
      else if (roll < 35)
        next = lk_clock_start_of_day (clock, now) + 15 * 3600 * 1000;
      else if (roll < 85)
        next = now + (gint64) g_rand_int_range (rand, 1, 14) * DAY_MS;
      lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, next);
    }
}

static gboolean
add_team (LkStore  *store,
          GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (team); i++)
    {
      g_autoptr(LkUser) user = lk_user_new (team[i].name, team[i].display, team[i].role);
      const char *regions[] = { team[i].region, NULL };
      g_autofree char *email = g_strdup_printf ("%s@leadkeeper.example", team[i].name);

      lk_record_set_bool (LK_RECORD (user), LK_USER_SENIOR, team[i].senior);
      lk_record_set_tags (LK_RECORD (user), LK_USER_REGIONS, regions);
      lk_record_set_string (LK_RECORD (user), LK_USER_EMAIL, email);
      lk_record_set_int (LK_RECORD (user), LK_USER_CAPACITY, team[i].senior ? 400 : 250);
      if (!lk_store_save_user (store, user, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * lk_demo_generate:
 * @count: how many leads
 * @seed: the same seed makes the same data
 *
 * Adds sample leads with their stage history and follow-ups, written and
 * queued for sync like any others, a few thousand per transaction. Runs
 * on the thread that owns @store: the app gives it a worker's connection
 * (lk_store_open_worker()) and then calls lk_store_emit_changed() on the
 * main store.
 */
gboolean
lk_demo_generate (LkStore         *store,
                  guint            count,
                  guint32          seed,
                  GCancellable    *cancellable,
                  LkProgressFunc   progress,
                  gpointer         user_data,
                  GError         **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *currency = NULL;
  LkPipeline *pipeline;
  LkClock *clock;
  gint64 now, first;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  pipeline = lk_store_get_pipeline (store);
  clock = lk_store_get_clock (store);
  currency = lk_store_get_currency (store);
  now = lk_clock_now_ms (clock);
  /* Codes go on from the leads already there, so a second run adds new
   * codes instead of repeating them. */
  first = lk_store_count_leads (store, error);
  if (first < 0 || !add_team (store, error))
    return FALSE;
  /* Many leads into a database with fewer: their indexes are made once at
   * the end (lk_store_begin_bulk_load). The search rows are written all
   * at once at the end too. A kill before either is recovered at the
   * next open (lk_store_catch_up_search ends both). */
  if (lk_store_bulk_load_wanted (store, count) && !lk_store_begin_bulk_load (store, FALSE, error))
    return FALSE;
  lk_store_set_defer_search (store, TRUE);
  for (guint i = 0; ok && i < count; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        ok = FALSE;
      else
        {
          make_lead (batch, currency, pipeline, clock, rand, (guint) first + i, now);
          if ((i + 1) % BATCH == 0 || i + 1 == count)
            {
              ok = lk_store_put_records (store, batch, &local_error);
              g_ptr_array_set_size (batch, 0);
              if (ok && progress)
                progress ((double) (i + 1) / count, user_data);
            }
        }
    }
  lk_store_set_defer_search (store, FALSE);
  /* What was written is indexed, even when the rest was cancelled. */
  if (!ok)
    {
      g_autoptr(GError) index_error = NULL;

      if (!lk_store_catch_up_search (store, 0, NULL, &index_error))
        g_warning ("Could not index the leads for search: %s", index_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return lk_store_catch_up_search (store, 0, NULL, error);
}
