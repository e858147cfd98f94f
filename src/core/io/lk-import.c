/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-import"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lk-progress.h"
#include "lk-csv.h"
#include "lk-dedup.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-import.h"
#include "lk-scoring.h"
#include "lk-store-import.h"
#include "lk-store-private.h"
#include "lk-store-rules.h"
#include "lk-utils.h"
#include "lk-validate.h"
#include "lk-vcard.h"

/* Importing a CSV file of leads: the columns are mapped to lead fields
 * from their headers (Chinese and English names as sales teams write
 * them, adjustable), each row becomes a lead, and a row that is the same
 * customer as a lead already there (lk-dedup's keys, looked up in their
 * indexes) is skipped, updates that lead, or is created all the same.
 *
 * A dry run counts new, duplicate and invalid rows without writing. A
 * real run writes through the store's normal write path, so every lead
 * syncs, in transactions of BATCH rows, and records what it did so that
 * lk_import_undo() can take it back. Invalid rows are reported with their
 * line and the reason while the others import. A cancelled or failed run
 * takes back what it wrote. */

/* Rows per transaction. Bigger batches import faster (100,000 rows: 21 s
 * in batches of 2,500, 16 s in batches of 10,000, on the 2-core machine)
 * but hold the write lock longer: the window's own edits wait for a batch
 * to commit (up to about half a second at this size). */
#define BATCH 5000
#define PREVIEW_ROWS 20

typedef struct
{
  const char *name;      /* for --map */
  const char *label;     /* N_() */
  const char *synonyms;  /* headers that mean it, folded (see fold_header), separated by | */
} TargetInfo;

static const TargetInfo targets[LK_IMPORT_N_TARGETS] = {
  [LK_IMPORT_IGNORE] = { "ignore", N_("Ignore"), "" },
  [LK_IMPORT_KEEP_IN_NOTES] = { "keep", N_("Add to Notes"), "" },
  [LK_IMPORT_CODE] = { "code", N_("Lead Code"), "线索编号|编号|线索编码|線索編號|編號|code|leadcode|leadid|id" },
  [LK_IMPORT_COMPANY] = { "company", N_("Company"),
                          "公司名称|公司|客户名称|客户|公司全称|企业名称|单位名称|单位|客户公司|公司名稱|客戶名稱|客戶|企業名稱|"
                          "company|companyname|organization|organisation|account|accountname|customer|customername|business|firma|unternehmen|societe|entreprise|empresa" },
  [LK_IMPORT_CONTACT] = { "contact", N_("Contact"),
                          "联系人|姓名|联系人姓名|客户姓名|名字|联络人|聯絡人|聯繫人|聯絡人姓名|"
                          "contact|contactname|name|fullname|contactperson|person" },
  [LK_IMPORT_TITLE] = { "title", N_("Job Title"), "职位|职务|岗位|頭銜|職位|職稱|職務|title|jobtitle|position|role" },
  [LK_IMPORT_PHONE] = { "phone", N_("Phone"),
                        "联系电话|电话|手机|手机号|手机号码|电话号码|联系方式|移动电话|聯絡電話|電話|手機|手機號碼|電話號碼|"
                        "phone|mobile|tel|telephone|phonenumber|mobilephone|mobilenumber|cell|cellphone" },
  [LK_IMPORT_EMAIL] = { "email", N_("Email"),
                        "邮箱|电子邮件|电子邮箱|邮件|邮箱地址|郵箱|電子郵件|電子郵箱|email|e-mail|mail|emailaddress" },
  [LK_IMPORT_IM] = { "im", N_("WeChat/IM"), "微信|微信号|qq|im|wechat|wechatid|line|whatsapp" },
  [LK_IMPORT_INDUSTRY] = { "industry", N_("Industry"), "行业|所属行业|行業|所屬行業|industry|sector" },
  [LK_IMPORT_COMPANY_SIZE] = { "company_size", N_("Company Size"),
                               "公司规模|规模|员工人数|人数|公司規模|規模|員工人數|companysize|size|employees" },
  [LK_IMPORT_REGION] = { "region", N_("Region"),
                         "地区|省份|城市|区域|所在地区|所在地|省市|地區|區域|region|province|city|area|location|state|country" },
  [LK_IMPORT_SOURCE] = { "source", N_("Source"),
                         "线索来源|来源|来源渠道|渠道|線索來源|來源|渠道來源|source|leadsource|channel|origin" },
  [LK_IMPORT_CAMPAIGN] = { "campaign", N_("Campaign"), "活动|活动名称|展会|市场活动|活動|展會|campaign|event|eventname" },
  [LK_IMPORT_NEEDS] = { "needs", N_("Needs"), "需求|需求描述|客户需求|需求說明|needs|need|requirement|requirements|interest" },
  [LK_IMPORT_GRADE] = { "grade", N_("Grade"),
                        "意向等级|等级|意向|客户等级|意向程度|意向等級|等級|客戶等級|grade|rating|leadgrade|priority" },
  [LK_IMPORT_TEMPERATURE] = { "temperature", N_("Temperature"), "温度|热度|冷热|溫度|熱度|temperature|temp|heat" },
  [LK_IMPORT_BUDGET] = { "budget", N_("Budget"), "预算|客户预算|預算|budget" },
  [LK_IMPORT_AMOUNT] = { "amount", N_("Amount"),
                         "金额|预计金额|预计成交金额|商机金额|预估金额|金額|預計金額|預估金額|amount|expectedamount|dealamount|dealvalue|value|expectedrevenue" },
  [LK_IMPORT_OWNER] = { "owner", N_("Owner"),
                        "负责人|销售|跟进人|所属销售|销售负责人|销售人员|业务员|負責人|銷售|業務|跟進人|owner|salesrep|rep|assignedto|salesperson|accountowner" },
  [LK_IMPORT_TAGS] = { "tags", N_("Tags"), "标签|標籤|標簽|tags|tag|labels|label" },
  [LK_IMPORT_NOTES] = { "notes", N_("Notes"), "备注|说明|備註|說明|notes|note|remark|remarks|comment|comments|description" },
  [LK_IMPORT_NEXT_FOLLOWUP] = { "next_followup", N_("Next Follow-up"),
                                "下次跟进|下次跟进时间|下次跟进日期|下次联系|下次联系时间|下次跟進|下次跟進時間|下次聯絡|"
                                "nextfollowup|nextfollowupdate|followup|followupdate|nextcontact|nextcontactdate|nextstep" },
  [LK_IMPORT_EVENTS] = { "events", N_("Behaviour Events"),
                         "行为|行为事件|互动行为|客户行为|事件|行為|行為事件|互動|互動行為|客戶行為|"
                         "behaviour|behavior|behaviours|behaviors|behaviourevents|behaviorevents|events|activities|actions" },
  [LK_IMPORT_EVENT_TIME] = { "event_time", N_("Event Time"),
                             "行为时间|行为日期|事件时间|互动时间|行為時間|行為日期|事件時間|互動時間|"
                             "eventtime|eventdate|behaviourtime|behaviortime|activitytime|activitydate" },
};

/* The lead field each plain-text target fills */
static const LkLeadField text_fields[LK_IMPORT_N_TARGETS] = {
  [LK_IMPORT_CODE] = LK_LEAD_CODE,
  [LK_IMPORT_COMPANY] = LK_LEAD_COMPANY,
  [LK_IMPORT_CONTACT] = LK_LEAD_CONTACT,
  [LK_IMPORT_TITLE] = LK_LEAD_TITLE,
  [LK_IMPORT_PHONE] = LK_LEAD_PHONE,
  [LK_IMPORT_EMAIL] = LK_LEAD_EMAIL,
  [LK_IMPORT_IM] = LK_LEAD_IM,
  [LK_IMPORT_INDUSTRY] = LK_LEAD_INDUSTRY,
  [LK_IMPORT_COMPANY_SIZE] = LK_LEAD_COMPANY_SIZE,
  [LK_IMPORT_REGION] = LK_LEAD_REGION,
  [LK_IMPORT_SOURCE] = LK_LEAD_SOURCE,
  [LK_IMPORT_CAMPAIGN] = LK_LEAD_CAMPAIGN,
  [LK_IMPORT_NEEDS] = LK_LEAD_NEEDS,
};

struct _LkImport
{
  GObject         parent_instance;

  /* Owned */
  char           *path;
  char           *encoding;
  char           *default_source;
  char           *default_campaign;
  char           *default_owner;
  GPtrArray      *headers;     /* char * */
  GArray         *columns;     /* LkImportTarget */
  GArray         *units;       /* gint64: the header's unit of amounts ("金额(万元)" → 10000) */
  GPtrArray      *preview;     /* GStrv: the first rows */
  GPtrArray      *problems;    /* LkImportProblem */

  LkImportPolicy  policy;
  char            delimiter;
  gboolean        vcard;       /* a vCard file: one row per card, fixed columns */
  gboolean        dry_run;
  double          fraction;     /* of an async run */
  gint64          import_id;
  guint           n_rows, n_new, n_duplicates, n_invalid, n_created, n_updated, n_skipped;
  guint           n_events;
};

G_DEFINE_FINAL_TYPE (LkImport, lk_import, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
lk_import_problem_free (LkImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->reason);
  g_free (problem);
}

/* "lead_code" for --map; the name a column is given on the command line */
const char *
lk_import_target_get_name (LkImportTarget target)
{
  g_return_val_if_fail (target < LK_IMPORT_N_TARGETS, NULL);
  return targets[target].name;
}

/* Returns: the translated name of @target, for the mapping's menus */
const char *
lk_import_target_get_label (LkImportTarget target)
{
  g_return_val_if_fail (target < LK_IMPORT_N_TARGETS, NULL);
  return _(targets[target].label);
}

/* Casefolded, full-width folded, without spaces, punctuation and a unit
 * in brackets: "*公司名称", "Company Name", "预计金额（万元）" match
 * "公司名称", "companyname", "预计金额". */
static char *
fold_header (const char *header,
             gint64     *unit)
{
  g_autofree char *folded = lk_dedup_fold (header);
  g_autoptr(GString) out = g_string_new (NULL);
  int depth = 0;

  if (unit != NULL)
    *unit = 1;
  if (folded == NULL)
    return g_strdup ("");
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(' || c == '[' || c == 0x3010)
        depth++;
      else if ((c == ')' || c == ']' || c == 0x3011) && depth > 0)
        depth--;
      else if (depth > 0)
        {
          if (c == 0x4E07 && unit != NULL)  /* 万 */
            *unit = 10000;
        }
      else if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
synonym_of (LkImportTarget  target,
            const char     *folded)
{
  g_auto(GStrv) words = NULL;

  if (folded[0] == '\0' || targets[target].synonyms[0] == '\0')
    return FALSE;
  words = g_strsplit (targets[target].synonyms, "|", -1);
  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *word = fold_header (words[i], NULL);

      if (g_str_equal (word, folded))
        return TRUE;
    }
  return FALSE;
}

/**
 * lk_import_guess_target:
 *
 * The field a column is meant for, from its header in Chinese or English:
 * "公司名称", "手机号", "E-mail", "意向等级"… Unknown headers give
 * %LK_IMPORT_KEEP_IN_NOTES, so that nothing of the file is lost.
 */
LkImportTarget
lk_import_guess_target (const char *header)
{
  g_autofree char *folded = NULL;

  if (header == NULL)
    return LK_IMPORT_IGNORE;
  folded = fold_header (header, NULL);
  if (folded[0] == '\0')
    return LK_IMPORT_IGNORE;
  for (guint t = LK_IMPORT_CODE; t < LK_IMPORT_N_TARGETS; t++)
    if (synonym_of (t, folded))
      return t;
  return LK_IMPORT_KEEP_IN_NOTES;
}

/* Reads a target's name (its --map name, "notes", "ignore") or any of
 * its header synonyms. */
gboolean
lk_import_target_from_name (const char     *name,
                            LkImportTarget *target)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (name != NULL && target != NULL, FALSE);

  for (guint t = 0; t < LK_IMPORT_N_TARGETS; t++)
    if (g_ascii_strcasecmp (name, targets[t].name) == 0)
      return (*target = t), TRUE;
  if (g_ascii_strcasecmp (name, "next_followup_at") == 0)
    return (*target = LK_IMPORT_NEXT_FOLLOWUP), TRUE;
  folded = fold_header (name, NULL);
  for (guint t = LK_IMPORT_CODE; t < LK_IMPORT_N_TARGETS; t++)
    if (synonym_of (t, folded))
      return (*target = t), TRUE;
  return FALSE;
}

gboolean
lk_import_policy_from_name (const char     *name,
                            LkImportPolicy *policy)
{
  static const char * const names[] = { "skip", "update", "create" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return (*policy = i), TRUE;
  return FALSE;
}

static gboolean
strip_suffix (GString    *s,
              const char *suffix)
{
  gsize len = strlen (suffix);

  if (s->len >= len && memcmp (s->str + s->len - len, suffix, len) == 0)
    {
      g_string_truncate (s, s->len - len);
      return TRUE;
    }
  return FALSE;
}

static gboolean
strip_prefix (GString    *s,
              const char *prefix)
{
  gsize len = strlen (prefix);

  if (s->len >= len && memcmp (s->str, prefix, len) == 0)
    {
      g_string_erase (s, 0, len);
      return TRUE;
    }
  return FALSE;
}

/**
 * lk_import_parse_amount:
 * @unit: what a number without a unit counts in: 1 (元), 10000 (万)
 * @minor_units: (out): the amount in minor units (分, cents)
 *
 * Reads amounts as people type them in spreadsheets: "125000",
 * "125,000.50", "¥12,000", "3.5万", "3.5万元", "1200元", "RMB 5000",
 * "1.2亿", "50k", full-width digits.
 */
gboolean
lk_import_parse_amount (const char *text,
                        gint64      unit,
                        gint64     *minor_units)
{
  static const char * const prefixes[] = { "¥", "$", "€", "rmb", "cny", "usd", "twd", "hkd", "人民币", "人民幣" };
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  double value, scale = (double) unit;
  char *end = NULL;

  g_return_val_if_fail (text != NULL && minor_units != NULL, FALSE);

  /* Most cells are plain digits, perhaps with separators and a point:
   * read at once, without folding the text. */
  {
    gboolean plain = TRUE, digits = FALSE;

    for (const char *p = text; *p && plain; p++)
      {
        plain = g_ascii_isdigit (*p) || *p == ',' || *p == '.';
        digits |= g_ascii_isdigit (*p);
      }
    if (plain && digits)
      {
        for (const char *p = text; *p; p++)
          if (*p != ',')
            g_string_append_c (s, *p);
        value = g_ascii_strtod (s->str, &end);
        if (end == s->str || *end != '\0' || !isfinite (value) || value * scale > 9e13)
          return FALSE;
        *minor_units = (gint64) llround (value * scale * 100.0);
        return TRUE;
      }
  }

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL)
    return FALSE;
  folded = g_utf8_casefold (nfkc, -1);
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Spaces and thousands separators (also the Chinese full stop-free
       * comma, folded to ',' above) */
      if (!g_unichar_isspace (c) && c != ',' && c != '\'' && c != 0x3001)
        g_string_append_unichar (s, c);
    }
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (strip_prefix (s, prefixes[i]))
      break;
  if (strip_suffix (s, "万元") || strip_suffix (s, "萬元") || strip_suffix (s, "万") ||
      strip_suffix (s, "萬") || strip_suffix (s, "w"))
    scale = 10000;
  else if (strip_suffix (s, "亿元") || strip_suffix (s, "億元") || strip_suffix (s, "亿") || strip_suffix (s, "億"))
    scale = 100000000;
  else if (strip_suffix (s, "k"))
    scale = 1000;
  else if (strip_suffix (s, "元") || strip_suffix (s, "块") || strip_suffix (s, "rmb") || strip_suffix (s, "cny"))
    scale = 1;
  if (s->len == 0)
    {
      *minor_units = 0;
      return folded[0] == '\0' || g_strstrip (folded)[0] == '\0';
    }
  for (gsize i = 0; i < s->len; i++)
    if (!g_ascii_isdigit (s->str[i]) && s->str[i] != '.')
      return FALSE;
  value = g_ascii_strtod (s->str, &end);
  if (end == s->str || *end != '\0' || !isfinite (value) || value < 0 || value * scale > 9e13)
    return FALSE;
  *minor_units = (gint64) llround (value * scale * 100.0);
  return TRUE;
}

static gboolean
read_number (const char **p,
             int         *out,
             int          max_digits)
{
  int n = 0, digits = 0;

  while (g_ascii_isdigit (**p) && digits < max_digits)
    {
      n = n * 10 + (**p - '0');
      (*p)++;
      digits++;
    }
  *out = n;
  return digits > 0;
}

/**
 * lk_import_parse_date:
 * @tz: the time zone of a date written without one
 * @ms: (out): Unix ms; a date alone is its start in @tz
 *
 * "2024-05-03", "2024/5/3", "2024.5.3", "2024年5月3日", each optionally
 * followed by a time "14:30" or "14:30:00"; or ISO 8601.
 */
gboolean
lk_import_parse_date (const char *text,
                      GTimeZone  *tz,
                      gint64     *ms)
{
  g_autofree char *nfkc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *p;
  int year, month, day, hour = 0, minute = 0, second = 0;

  g_return_val_if_fail (text != NULL && ms != NULL, FALSE);

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL)
    return FALSE;
  g_strstrip (nfkc);
  p = nfkc;
  if (!read_number (&p, &year, 4) || year < 1900)
    goto iso;
  if (g_str_has_prefix (p, "年"))
    p += strlen ("年");
  else if (*p == '-' || *p == '/' || *p == '.')
    p++;
  else
    goto iso;
  if (!read_number (&p, &month, 2))
    goto iso;
  if (g_str_has_prefix (p, "月"))
    p += strlen ("月");
  else if (*p == '-' || *p == '/' || *p == '.')
    p++;
  else
    goto iso;
  if (!read_number (&p, &day, 2))
    goto iso;
  if (g_str_has_prefix (p, "日"))
    p += strlen ("日");
  else if (g_str_has_prefix (p, "号"))
    p += strlen ("号");
  while (*p == ' ' || *p == 'T')
    p++;
  if (*p != '\0')
    {
      if (!read_number (&p, &hour, 2) || *p++ != ':' || !read_number (&p, &minute, 2))
        goto iso;
      if (*p == ':' && (p++, !read_number (&p, &second, 2)))
        goto iso;
      if (*p != '\0')
        goto iso;
    }
  dt = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (dt) * 1000;
  return TRUE;

iso:
  dt = g_date_time_new_from_iso8601 (nfkc, tz);
  if (dt == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

/* Whether @word is one of the '|'-separated @words (a row's value is
 * looked up without splitting the list again). */
static gboolean
is_word_of (const char *words,
            const char *word)
{
  gsize len = strlen (word);
  const char *p = words;

  for (;;)
    {
      if (strncmp (p, word, len) == 0 && (p[len] == '|' || p[len] == '\0'))
        return TRUE;
      p = strchr (p, '|');
      if (p == NULL)
        return FALSE;
      p++;
    }
}

/* A, B or C from "A", "a", "A级", "A类", "高", "中", "低", "High"… */
gboolean
lk_import_parse_grade (const char  *text,
                       const char **grade)
{
  static const struct
  {
    const char *grade;
    const char *words;
  } grades[] = {
    { "A", "a|a级|a類|a类|a級|高|高意向|high|hot|1" },
    { "B", "b|b级|b类|b級|b類|中|中等|一般|medium|mid|middle|warm|2" },
    { "C", "c|c级|c类|c級|c類|低|低意向|low|cold|3" },
  };
  g_autofree char *folded = fold_header (text, NULL);

  if (folded[0] == '\0')
    {
      *grade = NULL;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    if (is_word_of (grades[i].words, folded))
      {
        *grade = grades[i].grade;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_temperature (const char  *text,
                   const char **temperature)
{
  static const struct
  {
    const char *value;
    const char *words;
  } values[] = {
    { "hot", "hot|热|熱|高" },
    { "warm", "warm|温|溫|中" },
    { "cold", "cold|冷|低" },
  };
  g_autofree char *folded = fold_header (text, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_auto(GStrv) words = g_strsplit (values[i].words, "|", -1);

      if (g_strv_contains ((const char * const *) words, folded))
        {
          *temperature = values[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

static void
clear_results (LkImport *self)
{
  g_ptr_array_set_size (self->problems, 0);
  self->import_id = 0;
  self->n_rows = self->n_new = self->n_duplicates = self->n_invalid = 0;
  self->n_events = 0;
  self->n_created = self->n_updated = self->n_skipped = 0;
}

static void
lk_import_finalize (GObject *object)
{
  LkImport *self = LK_IMPORT (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_pointer (&self->default_source, g_free);
  g_clear_pointer (&self->default_campaign, g_free);
  g_clear_pointer (&self->default_owner, g_free);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->units, g_array_unref);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_import_parent_class)->finalize (object);
}

static void
lk_import_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkImport *self = LK_IMPORT (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_import_class_init (LkImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_import_finalize;
  object_class->get_property = lk_import_get_property;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_import_init (LkImport *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_array_new (FALSE, TRUE, sizeof (LkImportTarget));
  self->units = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_import_problem_free);
}

/**
 * lk_import_new:
 * @path: the CSV file
 *
 * An import of @path; lk_import_open() reads its header and first rows.
 * Its settings must not change while it runs.
 */
LkImport *
lk_import_new (const char *path)
{
  LkImport *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (LK_TYPE_IMPORT, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
lk_import_get_path (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), NULL);
  return self->path;
}

/* The rows of the file: a CSV file's records after its header, or a
 * vCard file's cards, each a row of LK_VCARD_N_FIELDS columns. */
typedef struct
{
  LkCsvReader   *csv;
  LkVcardReader *vcard;
} Rows;

static void
rows_free (Rows *rows)
{
  g_clear_pointer (&rows->csv, lk_csv_reader_free);
  g_clear_pointer (&rows->vcard, lk_vcard_reader_free);
  g_free (rows);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rows, rows_free)

static gboolean
rows_next (Rows          *rows,
           GCancellable  *cancellable,
           GError       **error)
{
  if (rows->vcard != NULL)
    return lk_vcard_reader_next (rows->vcard, cancellable, error);
  return lk_csv_reader_next (rows->csv, cancellable, error);
}

static guint
rows_n_fields (Rows *rows)
{
  return rows->vcard != NULL ? LK_VCARD_N_FIELDS : lk_csv_reader_get_n_fields (rows->csv);
}

static const char *
rows_field (Rows  *rows,
            guint  index)
{
  if (rows->vcard != NULL)
    return index < LK_VCARD_N_FIELDS ? lk_vcard_reader_get_field (rows->vcard, index) : NULL;
  return lk_csv_reader_get_field (rows->csv, index);
}

static const char * const *
rows_fields (Rows *rows)
{
  if (rows->vcard != NULL)
    return lk_vcard_reader_get_fields (rows->vcard);
  return lk_csv_reader_get_fields (rows->csv);
}

static guint
rows_line (Rows *rows)
{
  if (rows->vcard != NULL)
    return lk_vcard_reader_get_line (rows->vcard);
  return lk_csv_reader_get_line (rows->csv);
}

static gint64
rows_bytes_read (Rows *rows)
{
  if (rows->vcard != NULL)
    return lk_vcard_reader_get_bytes_read (rows->vcard);
  return lk_csv_reader_get_bytes_read (rows->csv);
}

/* Returns: (nullable): why the current row cannot be read at all (a
 * card the vCard reader could not decode), and on which line */
static const char *
rows_problem (Rows  *rows,
              guint *line)
{
  const char *problem;

  if (rows->vcard == NULL)
    {
      problem = lk_csv_reader_get_problem (rows->csv);
      *line = lk_csv_reader_get_line (rows->csv);
      return problem;
    }
  problem = lk_vcard_reader_get_problem (rows->vcard);
  *line = lk_vcard_reader_get_problem_line (rows->vcard);
  return problem;
}

/* Whether a record has nothing in it (",,,," rows spreadsheets leave). */
static gboolean
record_is_blank (Rows *reader)
{
  guint line = 0;

  if (rows_problem (reader, &line) != NULL)
    return FALSE;  /* a card that could not be read: reported */
  for (guint i = 0; i < rows_n_fields (reader); i++)
    {
      const char *field = rows_field (reader, i);

      for (const char *p = field; *p; p++)
        if (!g_ascii_isspace (*p))
          return FALSE;
    }
  return TRUE;
}

/* Whether the file is a vCard file, by its name or its first bytes */
static gboolean
sniff_vcard (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  guint8 head[256];
  gsize n = 0;

  if (lk_vcard_sniff (path, NULL, 0))
    return TRUE;
  if (stream == NULL || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n, NULL, NULL))
    return FALSE;
  return lk_vcard_sniff (NULL, head, n);
}

static Rows *
open_reader (LkImport  *self,
             GError   **error)
{
  g_autoptr(Rows) reader = g_new0 (Rows, 1);
  g_autoptr(GError) local_error = NULL;

  if (self->vcard)
    {
      reader->vcard = lk_vcard_reader_new_for_path (self->path, error);
      return reader->vcard != NULL ? g_steal_pointer (&reader) : NULL;
    }
  reader->csv = lk_csv_reader_new_for_path (self->path, self->encoding, self->delimiter, error);
  if (reader->csv == NULL)
    return NULL;
  /* The header: the first line with anything on it. */
  while (rows_next (reader, NULL, &local_error))
    if (!record_is_blank (reader))
      return g_steal_pointer (&reader);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("“%s” is empty"), self->path);
  return NULL;
}

/* The columns of a vCard file: what lk-vcard takes from each card */
static void
map_vcard_columns (LkImport *self)
{
  static const LkImportTarget vcard_targets[LK_VCARD_N_FIELDS] = {
    [LK_VCARD_CONTACT] = LK_IMPORT_CONTACT,
    [LK_VCARD_COMPANY] = LK_IMPORT_COMPANY,
    [LK_VCARD_TITLE] = LK_IMPORT_TITLE,
    [LK_VCARD_PHONE] = LK_IMPORT_PHONE,
    [LK_VCARD_EMAIL] = LK_IMPORT_EMAIL,
    [LK_VCARD_IM] = LK_IMPORT_IM,
    [LK_VCARD_REGION] = LK_IMPORT_REGION,
    [LK_VCARD_TAGS] = LK_IMPORT_TAGS,
    [LK_VCARD_NOTES] = LK_IMPORT_NOTES,
    [LK_VCARD_OTHER] = LK_IMPORT_NOTES,  /* already "Label: value" lines */
  };

  for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
    {
      gint64 unit = 1;

      g_ptr_array_add (self->headers, g_strdup (lk_vcard_field_get_label (i)));
      g_array_append_val (self->columns, vcard_targets[i]);
      g_array_append_val (self->units, unit);
    }
}

static void
read_preview (LkImport *self,
              Rows     *reader)
{
  g_autoptr(GError) local_error = NULL;

  while (self->preview->len < PREVIEW_ROWS && rows_next (reader, NULL, &local_error))
    if (!record_is_blank (reader))
      g_ptr_array_add (self->preview, g_strdupv ((char **) rows_fields (reader)));
  /* A problem further down is for the dry run to report, with the rows. */
  if (local_error != NULL)
    g_debug ("Preview of %s stops early: %s", self->path, local_error->message);
}

/**
 * lk_import_open:
 * @encoding: (nullable): the file's encoding; %NULL to detect it
 * @delimiter: 0 to detect it
 *
 * Reads the header and the first rows, and maps each column from its
 * header. Opening again (with another encoding or delimiter) maps again.
 */
gboolean
lk_import_open (LkImport    *self,
                const char  *encoding,
                char         delimiter,
                GError     **error)
{
  g_autoptr(Rows) reader = NULL;
  gboolean *taken;

  g_return_val_if_fail (LK_IS_IMPORT (self), FALSE);

  lk_set_str (&self->encoding, encoding && encoding[0] ? encoding : NULL);
  self->delimiter = delimiter;
  self->vcard = sniff_vcard (self->path);
  reader = open_reader (self, error);
  if (reader == NULL)
    return FALSE;

  g_ptr_array_set_size (self->headers, 0);
  g_array_set_size (self->columns, 0);
  g_array_set_size (self->units, 0);
  g_ptr_array_set_size (self->preview, 0);
  if (self->vcard)
    {
      /* Each value names its own charset. */
      lk_set_str (&self->encoding, "UTF-8");
      self->delimiter = 0;
      map_vcard_columns (self);
      read_preview (self, reader);
      return TRUE;
    }
  lk_set_str (&self->encoding, lk_csv_reader_get_encoding (reader->csv));
  self->delimiter = lk_csv_reader_get_delimiter (reader->csv);
  taken = g_new0 (gboolean, LK_IMPORT_N_TARGETS);
  for (guint i = 0; i < rows_n_fields (reader); i++)
    {
      g_autofree char *header = g_strstrip (g_strdup (rows_field (reader, i)));
      LkImportTarget target = lk_import_guess_target (header);
      gint64 unit = 1;

      /* Only its unit ("金额（万元）") is wanted here. */
      g_free (fold_header (header, &unit));

      /* A second column for one field ("电话" and "手机") goes to the notes. */
      if (target >= LK_IMPORT_CODE && target != LK_IMPORT_NOTES && taken[target])
        target = LK_IMPORT_KEEP_IN_NOTES;
      taken[target] = TRUE;
      g_ptr_array_add (self->headers, g_steal_pointer (&header));
      g_array_append_val (self->columns, target);
      g_array_append_val (self->units, unit);
    }
  g_free (taken);
  read_preview (self, reader);
  return TRUE;
}

/* Whether the file is a vCard file (then its columns are the fields of
 * a card, and the encoding and delimiter mean nothing) */
gboolean
lk_import_get_is_vcard (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), FALSE);
  return self->vcard;
}

const char *
lk_import_get_encoding (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), NULL);
  return self->encoding;
}

char
lk_import_get_delimiter (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->delimiter;
}

guint
lk_import_get_n_columns (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->headers->len;
}

const char *
lk_import_get_header (LkImport *self,
                      guint     column)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);
  return g_ptr_array_index (self->headers, column);
}

LkImportTarget
lk_import_get_target (LkImport *self,
                      guint     column)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), LK_IMPORT_IGNORE);
  g_return_val_if_fail (column < self->columns->len, LK_IMPORT_IGNORE);
  return g_array_index (self->columns, LkImportTarget, column);
}

void
lk_import_set_target (LkImport       *self,
                      guint           column,
                      LkImportTarget  target)
{
  g_return_if_fail (LK_IS_IMPORT (self));
  g_return_if_fail (column < self->columns->len);
  g_return_if_fail (target < LK_IMPORT_N_TARGETS);

  g_array_index (self->columns, LkImportTarget, column) = target;
}

/* The column called @name (its header, exactly or folded), or numbered
 * @name from 1; -1 for none. */
int
lk_import_find_column (LkImport   *self,
                       const char *name)
{
  g_autofree char *folded = NULL;
  char *end = NULL;
  guint64 number;

  g_return_val_if_fail (LK_IS_IMPORT (self), -1);

  for (guint i = 0; i < self->headers->len; i++)
    if (g_str_equal (g_ptr_array_index (self->headers, i), name))
      return (int) i;
  folded = fold_header (name, NULL);
  for (guint i = 0; folded[0] && i < self->headers->len; i++)
    {
      g_autofree char *header = fold_header (g_ptr_array_index (self->headers, i), NULL);

      if (g_str_equal (header, folded))
        return (int) i;
    }
  number = g_ascii_strtoull (name, &end, 10);
  if (end != name && *end == '\0' && number >= 1 && number <= self->headers->len)
    return (int) number - 1;
  return -1;
}

/**
 * lk_import_get_preview:
 *
 * Returns: (transfer none) (element-type GStrv): the first rows, as read
 */
GPtrArray *
lk_import_get_preview (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), NULL);
  return self->preview;
}

/* Defaults for the rows whose cell is empty (or that have no such column). */
void
lk_import_set_default_source (LkImport   *self,
                              const char *source)
{
  g_return_if_fail (LK_IS_IMPORT (self));
  lk_set_str (&self->default_source, source && source[0] ? source : NULL);
}

void
lk_import_set_default_campaign (LkImport   *self,
                                const char *campaign)
{
  g_return_if_fail (LK_IS_IMPORT (self));
  lk_set_str (&self->default_campaign, campaign && campaign[0] ? campaign : NULL);
}

/* @owner: a team member's name, display name or user id */
void
lk_import_set_default_owner (LkImport   *self,
                             const char *owner)
{
  g_return_if_fail (LK_IS_IMPORT (self));
  lk_set_str (&self->default_owner, owner && owner[0] ? owner : NULL);
}

void
lk_import_set_policy (LkImport       *self,
                      LkImportPolicy  policy)
{
  g_return_if_fail (LK_IS_IMPORT (self));
  self->policy = policy;
}

LkImportPolicy
lk_import_get_policy (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), LK_IMPORT_DUPLICATES_SKIP);
  return self->policy;
}

/* One run's state */
typedef struct
{
  LkImport   *self;
  LkStore    *store;
  GTimeZone  *tz;
  GHashTable *owners;   /* folded name, display name or id → user id */
  char       *default_owner_id;
  char       *currency;  /* the team's, for rows without one */
  GHashTable *seen;     /* dry run: keys of the file's earlier rows */
  GHashTable *events;   /* folded event type or name → event type */
  char       *event_types;  /* the known types, for the message of a row with another */
  gint64      now;      /* the time of the events of a row without an event time */
  char       *region;   /* of phone numbers without a country code */
  LkPipeline *pipeline; /* what the leads are validated against */
  GHashTable *known;    /* real run: the keys the leads of the database may have (see known_keys()) */
  gint64      data_version;  /* of the other connections' commits, when @known was right */
  gboolean    unknown;  /* @known is given up for this run */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->owners, g_hash_table_unref);
  g_clear_pointer (&run->seen, g_hash_table_unref);
  g_clear_pointer (&run->known, g_hash_table_unref);
  g_clear_pointer (&run->events, g_hash_table_unref);
  g_clear_pointer (&run->event_types, g_free);
  g_clear_pointer (&run->default_owner_id, g_free);
  g_clear_pointer (&run->currency, g_free);
  g_clear_pointer (&run->tz, g_time_zone_unref);
  g_clear_pointer (&run->region, g_free);
  g_clear_object (&run->pipeline);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GHashTable *
owners_of (LkStore *store)
{
  GHashTable *owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) users = lk_store_list_users (store, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkRecord *user = g_ptr_array_index (users, i);
      const char *id = lk_record_get_id (user);
      const char *names[] = {
        id, lk_user_id_get_name (id), lk_record_get_string (user, LK_USER_NAME),
        lk_record_get_string (user, LK_USER_DISPLAY_NAME),
      };

      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        if (names[n] != NULL && names[n][0] != '\0')
          g_hash_table_replace (owners, fold_header (names[n], NULL), g_strdup (id));
    }
  return owners;
}

static const char *
find_owner (Run        *run,
            const char *name)
{
  g_autofree char *folded = fold_header (name, NULL);

  return g_hash_table_lookup (run->owners, folded);
}

static void
add_event_name (GHashTable *events,
                const char *name,
                const char *type)
{
  if (name != NULL && name[0] != '\0')
    g_hash_table_replace (events, fold_header (name, NULL), g_strdup (type));
}

/* The event types a cell may name: the built-in ones and the team's
 * (settings:scoring), each by its id, its English name or its name in
 * the user's language, folded like headers ("Pricing page" is
 * pricing_page). */
static gboolean
load_event_types (Run     *run,
                  GError **error)
{
  g_autoptr(LkScoring) scoring = lk_store_get_scoring (run->store, error);
  g_autoptr(GString) known = g_string_new (NULL);
  const LkTerm *builtin;
  guint n;

  if (scoring == NULL)
    return FALSE;
  run->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  builtin = lk_scoring_builtin_events (&n);
  for (guint i = 0; i < n; i++)
    {
      add_event_name (run->events, builtin[i].name, builtin[i].id);
      add_event_name (run->events, lk_scoring_event_name (NULL, builtin[i].id), builtin[i].id);
      g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", builtin[i].id);
    }
  for (guint i = 0; i < lk_scoring_get_events (scoring)->len; i++)
    {
      const LkScoreEvent *event = g_ptr_array_index (lk_scoring_get_events (scoring), i);

      if (!g_hash_table_contains (run->events, event->type))
        g_string_append_printf (known, ", %s", event->type);
      add_event_name (run->events, lk_scoring_event_name (scoring, event->type), event->type);
    }
  /* Ids last: an id wins over a name that folds the same. */
  for (guint i = 0; i < n; i++)
    add_event_name (run->events, builtin[i].id, builtin[i].id);
  for (guint i = 0; i < lk_scoring_get_events (scoring)->len; i++)
    {
      const LkScoreEvent *event = g_ptr_array_index (lk_scoring_get_events (scoring), i);

      add_event_name (run->events, event->type, event->type);
    }
  run->event_types = g_string_free (g_steal_pointer (&known), FALSE);
  return TRUE;
}

/* One row of the file, as the reading thread prepared it (see Pipe) */
typedef struct
{
  char      **cells;        /* NULL-terminated */
  guint       n_cells;
  guint       line;
  gint64      bytes_read;   /* of the file, once the row was read */
  char       *problem;      /* why the row cannot be imported, or NULL */
  LkLead     *lead;         /* made from the row, normalised and valid */
  GPtrArray  *events;       /* char *: the row's behaviour event types */
  gint64      events_at;
  char       *phone_key;    /* the lead's duplicate keys (lk-dedup) */
  char       *email_key;
  char       *company_key;
  char       *contact_key;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->cells, g_strfreev);
  g_clear_pointer (&row->problem, g_free);
  g_clear_object (&row->lead);
  g_clear_pointer (&row->events, g_ptr_array_unref);
  g_clear_pointer (&row->phone_key, g_free);
  g_clear_pointer (&row->email_key, g_free);
  g_clear_pointer (&row->company_key, g_free);
  g_clear_pointer (&row->contact_key, g_free);
  memset (row, 0, sizeof *row);
}

/* The behaviour events of @row, into @types (char *), and when they
 * happened. Returns: %FALSE with the reason in @error. */
static gboolean
read_events (Run        *run,
             Row        *row,
             GPtrArray  *types,
             gint64     *at_ms,
             GError    **error)
{
  LkImport *self = run->self;
  guint n = MIN (row->n_cells, self->columns->len);

  *at_ms = run->now;
  for (guint i = 0; i < n; i++)
    {
      LkImportTarget target = g_array_index (self->columns, LkImportTarget, i);
      const char *header = g_ptr_array_index (self->headers, i);
      g_autofree char *value = NULL;

      if (target != LK_IMPORT_EVENTS && target != LK_IMPORT_EVENT_TIME)
        continue;
      value = g_strstrip (g_strdup (row->cells[i]));
      if (value[0] == '\0')
        continue;
      if (target == LK_IMPORT_EVENT_TIME)
        {
          if (!lk_import_parse_date (value, run->tz, at_ms))
            {
              g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                           _("%s: “%s” is not a date or time such as 2024-05-03 or 2024-05-03 14:30"), header, value);
              return FALSE;
            }
          continue;
        }
      {
        g_auto(GStrv) words = lk_record_split_tags (value);

        for (guint w = 0; words[w]; w++)
          {
            g_autofree char *folded = fold_header (g_strstrip (words[w]), NULL);
            const char *type;

            if (words[w][0] == '\0')
              continue;
            type = g_hash_table_lookup (run->events, folded);
            if (type == NULL)
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not a behaviour event; the events are %s (or their names)"),
                             header, words[w], run->event_types);
                return FALSE;
              }
            g_ptr_array_add (types, g_strdup (type));
          }
      }
    }
  return TRUE;
}

/* Records the row's events on the lead @lead_id (nothing on a dry run). */
static gboolean
add_events (Run         *run,
            const char  *lead_id,
            GPtrArray   *types,
            gint64       at_ms,
            GError     **error)
{
  LkImport *self = run->self;

  if (types->len == 0)
    return TRUE;
  self->n_events += types->len;
  if (self->dry_run)
    return TRUE;
  g_ptr_array_add (types, NULL);
  return lk_store_import_add_events (run->store, self->import_id, lead_id,
                                     (const char * const *) types->pdata, at_ms, error);
}

static void
append_line (GString    *notes,
             const char *header,
             const char *value)
{
  if (notes->len > 0)
    g_string_append_c (notes, '\n');
  if (header != NULL && header[0] != '\0')
    g_string_append_printf (notes, "%s: %s", header, value);
  else
    g_string_append (notes, value);
}

static void
set_default (LkRecord   *record,
             guint       field,
             const char *value)
{
  const char *current = lk_record_get_string (record, field);

  if (value != NULL && (current == NULL || current[0] == '\0'))
    lk_record_set_string (record, field, value);
}

/* Puts the non-empty cells of @row on @lead. @merge: @lead is a stored
 * lead being updated: tags are added to its own and notes follow its own.
 * Returns: %FALSE with the reason in @error. */
static gboolean
fill_lead (Run          *run,
           Row          *row,
           LkLead       *lead,
           gboolean      merge,
           GError      **error)
{
  LkImport *self = run->self;
  LkRecord *record = LK_RECORD (lead);
  guint n = row->n_cells;
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  if (n > self->columns->len)
    for (guint i = self->columns->len; i < n; i++)
      {
        g_autofree char *extra = g_strstrip (g_strdup (row->cells[i]));

        if (extra[0] != '\0')
          {
            g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                         _("the row has %u cells but the header names %u columns; a cell with a “%c” in it may need quotes"),
                         n, self->columns->len, self->delimiter);
            return FALSE;
          }
      }
  if (merge)
    {
      const char * const *own = lk_record_get_tags (record, LK_LEAD_TAGS);

      for (guint i = 0; own[i]; i++)
        g_ptr_array_add (tags, g_strdup (own[i]));
    }

  for (guint i = 0; i < MIN (n, self->columns->len); i++)
    {
      LkImportTarget target = g_array_index (self->columns, LkImportTarget, i);
      const char *header = g_ptr_array_index (self->headers, i);
      g_autofree char *value = g_strstrip (g_strdup (row->cells[i]));

      if (value[0] == '\0' || target == LK_IMPORT_IGNORE)
        continue;
      switch (target)
        {
        case LK_IMPORT_KEEP_IN_NOTES:
          append_line (kept, header, value);
          break;
        case LK_IMPORT_NOTES:
          append_line (notes, NULL, value);
          break;
        case LK_IMPORT_GRADE:
          {
            const char *grade = NULL;

            if (!lk_import_parse_grade (value, &grade))
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not a grade; use A, B or C (or 高, 中, 低)"), header, value);
                return FALSE;
              }
            lk_record_set_string (record, LK_LEAD_GRADE, grade);
          }
          break;
        case LK_IMPORT_TEMPERATURE:
          {
            const char *temperature = NULL;

            if (!parse_temperature (value, &temperature))
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not a temperature; use hot, warm or cold (or 热, 温, 冷)"), header, value);
                return FALSE;
              }
            lk_record_set_string (record, LK_LEAD_TEMPERATURE, temperature);
          }
          break;
        case LK_IMPORT_BUDGET:
        case LK_IMPORT_AMOUNT:
          {
            gint64 minor = 0;

            if (!lk_import_parse_amount (value, g_array_index (self->units, gint64, i), &minor))
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not an amount such as 125000, 12,000.50 or 3.5万"), header, value);
                return FALSE;
              }
            lk_record_set_int (record, target == LK_IMPORT_BUDGET ? LK_LEAD_BUDGET : LK_LEAD_AMOUNT, minor);
          }
          break;
        case LK_IMPORT_OWNER:
          {
            const char *owner = find_owner (run, value);

            if (owner == NULL)
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not a member of the team; add them to the team, or map this column to Ignore"),
                             header, value);
                return FALSE;
              }
            lk_record_set_string (record, LK_LEAD_OWNER, owner);
          }
          break;
        case LK_IMPORT_TAGS:
          {
            g_auto(GStrv) words = lk_record_split_tags (value);

            for (guint w = 0; words[w]; w++)
              g_ptr_array_add (tags, g_strdup (words[w]));
          }
          break;
        case LK_IMPORT_NEXT_FOLLOWUP:
          {
            gint64 ms = 0;

            if (!lk_import_parse_date (value, run->tz, &ms))
              {
                g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                             _("%s: “%s” is not a date such as 2024-05-03, 2024/5/3 or 2024年5月3日"), header, value);
                return FALSE;
              }
            lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, ms);
          }
          break;
        case LK_IMPORT_EVENTS:
        case LK_IMPORT_EVENT_TIME:
          break;  /* read_events() */
        case LK_IMPORT_IGNORE:
        case LK_IMPORT_N_TARGETS:
          break;
        default:
          lk_record_set_string (record, text_fields[target], value);
          break;
        }
    }

  if (tags->len > 0)
    {
      g_ptr_array_add (tags, NULL);
      lk_record_set_tags (record, LK_LEAD_TAGS, (const char * const *) tags->pdata);
    }
  if (kept->len > 0)
    append_line (notes, NULL, kept->str);
  if (notes->len > 0)
    {
      const char *own = merge ? lk_record_get_string (record, LK_LEAD_NOTES) : "";

      if (own[0] == '\0')
        lk_record_set_string (record, LK_LEAD_NOTES, notes->str);
      else if (strstr (own, notes->str) == NULL)
        {
          g_autofree char *joined = g_strconcat (own, "\n", notes->str, NULL);

          lk_record_set_string (record, LK_LEAD_NOTES, joined);
        }
    }
  set_default (record, LK_LEAD_SOURCE, self->default_source);
  set_default (record, LK_LEAD_CAMPAIGN, self->default_campaign);
  set_default (record, LK_LEAD_OWNER, run->default_owner_id);
  set_default (record, LK_LEAD_CURRENCY, run->currency);
  return TRUE;
}

static void
add_problem (LkImport   *self,
             guint       line,
             const char *reason)
{
  LkImportProblem *problem = g_new0 (LkImportProblem, 1);

  problem->line = line;
  problem->reason = g_strdup (reason);
  g_ptr_array_add (self->problems, problem);
  self->n_invalid++;
}

/* Dry run: whether an earlier row of the file has one of these keys. */
static gboolean
seen_before (Run         *run,
             const char  *keys[3])
{
  gboolean seen = FALSE;

  for (guint i = 0; i < 3; i++)
    if (keys[i] != NULL)
      {
        char *tagged = g_strdup_printf ("%u:%s", i, keys[i]);

        if (!g_hash_table_add (run->seen, tagged))
          seen = TRUE;
      }
  return seen;
}

static void
report_progress (LkImportProgressFunc  progress,
                 gpointer              user_data,
                 gint64                bytes_read,
                 gint64                size)
{
  if (progress != NULL && size > 0)
    progress (MIN (1.0, (double) bytes_read / (double) size), user_data);
}

static gboolean
take_back (LkStore  *store,
           gint64    import_id,
           const char *state)
{
  g_autoptr(GError) error = NULL;

  if (!lk_import_undo (store, import_id, NULL, NULL, NULL, NULL, &error) ||
      !lk_store_import_set_state (store, import_id, state, &error))
    {
      g_warning ("Could not take back the rows of import %" G_GINT64_FORMAT ": %s",
                 import_id, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Most rows of a large file are no lead's duplicate, and finding that
 * out took three index lookups each. A real run keeps the keys that the
 * leads of the database may have: those of the leads there at its start
 * (when there are not too many) and of every lead it writes. A row none
 * of whose keys is among them is new without a lookup; the others are
 * looked up as before. Another connection's commit (PRAGMA data_version)
 * may have added keys it does not know: the run then looks up every row,
 * as it does past KNOWN_MAX leads there at the start or KNOWN_MAX_KEYS
 * keys in all (about 60 MB of them). */
#define KNOWN_MAX 50000
#define KNOWN_MAX_KEYS 800000

/* "0:+8613800138000\037": a key and which of them it is (0 phone, 1 email,
 * 2 company with the contact after the \037) */
static char *
tag_key (guint       which,
         const char *key,
         const char *key2)
{
  static const char * const tags[] = { "0:", "1:", "2:" };

  return g_strconcat (tags[which], key, "\037", key2 ? key2 : "", NULL);
}

static void
add_known (GHashTable *known,
           guint       which,
           const char *key,
           const char *key2)
{
  if (key != NULL && key[0] != '\0')
    g_hash_table_add (known, tag_key (which, key, key2));
}

static gboolean
is_known (GHashTable *known,
          guint       which,
          const char *key,
          const char *key2)
{
  g_autofree char *tagged = NULL;

  if (key == NULL || key[0] == '\0')
    return FALSE;
  tagged = tag_key (which, key, key2);
  return g_hash_table_contains (known, tagged);
}

/* At the start of each transaction of a real run: reads the keys of the
 * leads there the first time, and gives them up when another connection
 * has written since. */
static gboolean
update_known (Run     *run,
              GError **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;
  guint n = 0;
  int rc;

  if (run->unknown)
    return TRUE;
  stmt = lk_store_prepare (run->store, "PRAGMA data_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (run->known != NULL)
    {
      if (version != run->data_version)
        {
          g_clear_pointer (&run->known, g_hash_table_unref);
          run->unknown = TRUE;
        }
      return TRUE;
    }
  run->data_version = version;
  run->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  stmt = lk_store_prepare (run->store,
                           "SELECT phone_key, email_key, company_key, contact_key FROM leads "
                           "WHERE phone_key IS NOT NULL OR email_key IS NOT NULL OR company_key IS NOT NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && ++n <= KNOWN_MAX)
    {
      add_known (run->known, 0, lk_store_column_text (stmt, 0), NULL);
      add_known (run->known, 1, lk_store_column_text (stmt, 1), NULL);
      add_known (run->known, 2, lk_store_column_text (stmt, 2), lk_store_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lk_store_fail (run->store, error, _("look for duplicates"));
  /* Too many to keep: every row is looked up. */
  if (n > KNOWN_MAX)
    {
      g_clear_pointer (&run->known, g_hash_table_unref);
      run->unknown = TRUE;
    }
  return TRUE;
}

/* Remembers the keys of a lead the run wrote: those it is looked up by
 * (the phone as normalised) and those written with it. */
static void
remember_keys (Run        *run,
               const char *phone,
               const char *phone_key,
               const char *email_key,
               const char *company_key,
               const char *contact_key)
{
  if (run->known == NULL)
    return;
  if (g_hash_table_size (run->known) >= KNOWN_MAX_KEYS)
    {
      g_clear_pointer (&run->known, g_hash_table_unref);
      run->unknown = TRUE;
      return;
    }
  add_known (run->known, 0, phone, NULL);
  add_known (run->known, 0, phone_key, NULL);
  add_known (run->known, 1, email_key, NULL);
  add_known (run->known, 2, company_key, contact_key);
}

/* Remembers the keys of @lead, made from it */
static void
remember_lead (Run    *run,
               LkLead *lead)
{
  const char *phone = lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE);
  g_autofree char *phone_key = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *company_key = NULL;
  g_autofree char *contact_key = NULL;

  if (run->known == NULL)
    return;
  phone_key = lk_dedup_phone_key (phone, run->region);
  email_key = lk_dedup_email_key (lk_record_get_string (LK_RECORD (lead), LK_LEAD_EMAIL));
  company_key = lk_dedup_company_key (lk_lead_get_company (lead));
  contact_key = lk_dedup_contact_key (lk_lead_get_contact (lead));
  remember_keys (run, phone, phone_key, email_key, company_key, contact_key);
}

/* Whether a lead of the database may have one of these keys: %FALSE
 * means surely none has. */
static gboolean
known_keys (Run        *run,
            const char *phone,
            const char *email_key,
            const char *company_key,
            const char *contact_key)
{
  return run->known == NULL ||
         is_known (run->known, 0, phone, NULL) ||
         is_known (run->known, 1, email_key, NULL) ||
         is_known (run->known, 2, company_key, contact_key);
}

/* Reads the reader's current row into @row, on the reading thread: its
 * cells, and the lead made of them, normalised and checked, with its
 * duplicate keys, or why the row cannot be imported. Only what stays the
 * same during a run is read: the import's settings and @run's tables. */
static void
prepare_row (Run  *run,
             Rows *reader,
             Row  *row)
{
  g_autoptr(GError) invalid = NULL;
  const char *problem;
  guint problem_line = 0;

  row->bytes_read = rows_bytes_read (reader);
  row->line = rows_line (reader);
  problem = rows_problem (reader, &problem_line);
  if (problem != NULL)
    {
      row->problem = g_strdup (problem);
      row->line = problem_line;
      return;
    }
  row->cells = g_strdupv ((char **) rows_fields (reader));
  row->n_cells = g_strv_length (row->cells);
  row->lead = lk_lead_new ();
  row->events = g_ptr_array_new_with_free_func (g_free);
  if (!fill_lead (run, row, row->lead, FALSE, &invalid) ||
      !read_events (run, row, row->events, &row->events_at, &invalid) ||
      !lk_lead_normalize (row->lead, run->region, &invalid) ||
      !lk_lead_validate (row->lead, run->pipeline, &invalid))
    {
      row->problem = g_strdup (invalid->message);
      g_clear_object (&row->lead);
      return;
    }
  /* The phone is in E.164 now: its own key for the lookup; the key
   * written with the lead is made the store's way. */
  row->phone_key = lk_dedup_phone_key (lk_record_get_string (LK_RECORD (row->lead), LK_LEAD_PHONE), run->region);
  row->email_key = lk_dedup_email_key (lk_record_get_string (LK_RECORD (row->lead), LK_LEAD_EMAIL));
  row->company_key = lk_dedup_company_key (lk_lead_get_company (row->lead));
  row->contact_key = lk_dedup_contact_key (lk_lead_get_contact (row->lead));
}

/* Writes the lead of @row as a new one. */
static gboolean
create_lead (Run     *run,
             Row     *row,
             GError **error)
{
  const char *keys[] = { row->phone_key, row->email_key, row->company_key, row->contact_key };

  if (!lk_store_import_write_new (run->store, run->self->import_id, row->lead, keys, error))
    return FALSE;
  remember_keys (run, lk_record_get_string (LK_RECORD (row->lead), LK_LEAD_PHONE), row->phone_key,
                 row->email_key, row->company_key, row->contact_key);
  return TRUE;
}

/* One prepared row: finds a duplicate, and writes what the policy says. */
static gboolean
import_row (Run          *run,
            Row          *row,
            GError      **error)
{
  LkImport *self = run->self;
  LkLead *lead = row->lead;
  GPtrArray *events = row->events;
  gint64 events_at = row->events_at;
  const char *email_key = row->email_key;
  const char *company_key = row->company_key;
  const char *contact_key = row->contact_key;
  const char *phone;
  const char *keys[3];
  LkDuplicateKey matched = LK_DUPLICATE_NONE;
  gint64 rowid;

  if (row->problem != NULL)
    {
      add_problem (self, row->line, row->problem);
      return TRUE;
    }

  phone = lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE);
  if (self->dry_run || known_keys (run, phone, email_key, company_key, contact_key))
    rowid = lk_store_find_duplicate (run->store, phone[0] ? phone : NULL, email_key, company_key, contact_key,
                                     &matched, error);
  else
    rowid = 0;
  if (rowid < 0)
    return FALSE;
  if (self->dry_run)
    {
      g_autofree char *pair = company_key ? g_strconcat (company_key, "\037", contact_key ? contact_key : "", NULL)
                                          : NULL;

      keys[0] = phone[0] ? phone : NULL;
      keys[1] = email_key;
      keys[2] = pair;
      if (seen_before (run, keys) && rowid == 0)
        rowid = G_MAXINT64;  /* a duplicate of an earlier row of the file */
    }

  if (rowid == 0)
    {
      self->n_new++;
      self->n_created++;
      return (self->dry_run || create_lead (run, row, error)) &&
             add_events (run, lk_record_get_id (LK_RECORD (lead)), events, events_at, error);
    }
  self->n_duplicates++;
  switch (self->policy)
    {
    case LK_IMPORT_DUPLICATES_SKIP:
      self->n_skipped++;
      /* Skip keeps the lead's fields as they are, but the events are new
       * facts about that customer (a visit, a download), not another
       * version of the lead: losing them would lose what the file says.
       * They go on the lead already there. */
      if (events->len == 0)
        return TRUE;
      if (self->dry_run)
        return add_events (run, NULL, events, events_at, error);
      {
        g_autoptr(LkLead) stored = lk_store_get_lead_by_rowid (run->store, rowid, error);

        return stored != NULL &&
               add_events (run, lk_record_get_id (LK_RECORD (stored)), events, events_at, error);
      }
    case LK_IMPORT_DUPLICATES_CREATE:
      self->n_created++;
      return (self->dry_run || create_lead (run, row, error)) &&
             add_events (run, lk_record_get_id (LK_RECORD (lead)), events, events_at, error);
    case LK_IMPORT_DUPLICATES_UPDATE:
    default:
      self->n_updated++;
      if (self->dry_run)
        return add_events (run, NULL, events, events_at, error);
      {
        g_autoptr(LkLead) stored = lk_store_get_lead_by_rowid (run->store, rowid, error);
        g_autoptr(LkLead) updated = NULL;
        g_autoptr(GError) merge_error = NULL;

        if (stored == NULL)
          return FALSE;
        updated = lk_lead_copy (stored);
        if (!fill_lead (run, row, updated, TRUE, &merge_error) ||
            !lk_lead_normalize (updated, lk_store_default_region (run->store), &merge_error) ||
            !lk_lead_validate (updated, lk_store_get_pipeline (run->store), &merge_error))
          {
            self->n_updated--;
            self->n_duplicates--;
            add_problem (self, row->line, merge_error->message);
            return TRUE;
          }
        if (!lk_store_import_update (run->store, self->import_id, updated, stored, error))
          return FALSE;
        remember_lead (run, updated);
        return add_events (run, lk_record_get_id (LK_RECORD (updated)), events, events_at, error);
      }
    }
}

static gboolean
check_columns (LkImport  *self,
               GError   **error)
{
  gboolean named = FALSE;

  for (guint i = 0; i < self->columns->len; i++)
    {
      LkImportTarget target = g_array_index (self->columns, LkImportTarget, i);

      named |= target == LK_IMPORT_COMPANY || target == LK_IMPORT_CONTACT;
    }
  if (!named)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("No column is mapped to Company or Contact, and every lead needs one of them: choose which column holds the company or the contact name"));
      return FALSE;
    }
  return TRUE;
}

/* The file is read, and its rows made into checked leads, on a thread of
 * its own (prepare_row()) while the run's thread finds the duplicates
 * and writes: chunks of CHUNK_ROWS rows go from one to the other, at
 * most N_CHUNKS of them at a time. */
#define CHUNK_ROWS 256
#define N_CHUNKS 16

typedef struct
{
  Row       rows[CHUNK_ROWS];
  guint     n_rows;
  gboolean  last;    /* the reading is over: no chunk follows */
  GError   *error;   /* of the last: why the reading stopped, or NULL at the end of the file */
} Chunk;

typedef struct
{
  Run          *run;
  Rows         *reader;
  GCancellable *cancellable;
  GAsyncQueue  *filled;   /* Chunk *, in the file's order */
  GAsyncQueue  *empty;    /* Chunk * for the reading thread to fill */
  Chunk        *chunks[N_CHUNKS];
  GThread      *thread;
  gboolean      over;     /* the last chunk was taken */
  int           stop;     /* atomic: the run wants no more rows */
} Pipe;

static void
chunk_clear (Chunk *chunk)
{
  for (guint i = 0; i < chunk->n_rows; i++)
    row_clear (&chunk->rows[i]);
  chunk->n_rows = 0;
  chunk->last = FALSE;
  g_clear_error (&chunk->error);
}

static gpointer
read_rows_thread (gpointer data)
{
  Pipe *pipe = data;
  gboolean more = TRUE;

  while (more)
    {
      Chunk *chunk = g_async_queue_pop (pipe->empty);
      GError *error = NULL;

      /* Freed by the thread that made them: memory given back to another
       * thread's arena of malloc made both threads wait for its lock. */
      chunk_clear (chunk);

      while (chunk->n_rows < CHUNK_ROWS)
        {
          if (g_atomic_int_get (&pipe->stop) ||
              g_cancellable_set_error_if_cancelled (pipe->cancellable, &error) ||
              !rows_next (pipe->reader, pipe->cancellable, &error))
            {
              more = FALSE;
              break;
            }
          if (!record_is_blank (pipe->reader))
            prepare_row (pipe->run, pipe->reader, &chunk->rows[chunk->n_rows++]);
        }
      chunk->last = !more;
      chunk->error = error;
      g_async_queue_push (pipe->filled, chunk);
    }
  return NULL;
}

static void
pipe_start (Pipe         *pipe,
            Run          *run,
            Rows         *reader,
            GCancellable *cancellable)
{
  pipe->run = run;
  pipe->reader = reader;
  pipe->cancellable = cancellable;
  pipe->filled = g_async_queue_new ();
  pipe->empty = g_async_queue_new ();
  for (guint i = 0; i < N_CHUNKS; i++)
    {
      pipe->chunks[i] = g_new0 (Chunk, 1);
      g_async_queue_push (pipe->empty, pipe->chunks[i]);
    }
  pipe->thread = g_thread_new ("lk-import-read", read_rows_thread, pipe);
}

/* Returns: (transfer none): the next chunk of rows, after giving @done
 *   (the last one taken, or %NULL) back to the reading thread, which
 *   clears it */
static Chunk *
pipe_next (Pipe  *pipe,
           Chunk *done)
{
  Chunk *chunk;

  if (done != NULL)
    g_async_queue_push (pipe->empty, done);
  chunk = g_async_queue_pop (pipe->filled);
  pipe->over = chunk->last;
  return chunk;
}

/* Stops the reading thread, waits for it and frees the chunks. */
static void
pipe_stop (Pipe  *pipe,
           Chunk *current)
{
  if (pipe->thread == NULL)
    return;
  g_atomic_int_set (&pipe->stop, 1);
  /* The thread may be waiting for an empty chunk: it gets them back
   * until it has sent its last. */
  while (!pipe->over)
    current = pipe_next (pipe, current);
  g_thread_join (g_steal_pointer (&pipe->thread));
  for (guint i = 0; i < N_CHUNKS; i++)
    {
      chunk_clear (pipe->chunks[i]);
      g_free (pipe->chunks[i]);
    }
  g_async_queue_unref (pipe->filled);
  g_async_queue_unref (pipe->empty);
}

/**
 * lk_import_run:
 * @store: the store to write to; on a worker thread, a worker's
 *   connection (lk_store_open_worker())
 * @dry_run: count, check and find duplicates without writing
 * @progress: (nullable): called after each batch with the part of the
 *   file read
 *
 * Imports the file (lk_import_open() first). Invalid rows are reported
 * by lk_import_get_problems() and the others imported. A cancelled or
 * failed run takes back what it wrote and returns the error.
 *
 * A real run leaves the search rows of the leads it wrote (and, for a
 * file of many more leads than the database holds, the indexes of a bulk
 * load, lk-store-bulk.c) to lk_store_catch_up_search(), which the caller
 * runs when it wants the search complete: lk_import_run_finish() starts
 * it in the background, and lk_store_open() finishes it after a kill.
 * Everything else is written and committed when it returns.
 */
gboolean
lk_import_run (LkImport              *self,
               LkStore               *store,
               gboolean               dry_run,
               GCancellable          *cancellable,
               LkImportProgressFunc   progress,
               gpointer               user_data,
               GError               **error)
{
  g_auto(Run) run = { 0 };
  g_autoptr(Rows) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  Pipe pipe = { 0 };
  Chunk *chunk = NULL;
  guint next_row = 0;
  GStatBuf st;
  gint64 size = 0;
  guint in_batch = 0;
  gboolean ok = TRUE, in_transaction = FALSE, bulk_decided = FALSE;

  g_return_val_if_fail (LK_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  clear_results (self);
  self->dry_run = dry_run;
  if (self->headers->len == 0 && !lk_import_open (self, self->encoding, self->delimiter, error))
    return FALSE;
  if (!check_columns (self, error))
    return FALSE;

  run.self = self;
  run.store = store;
  run.tz = g_time_zone_ref (lk_clock_get_timezone (lk_store_get_clock (store)));
  run.owners = owners_of (store);
  run.now = lk_clock_now_ms (lk_store_get_clock (store));
  if (!load_event_types (&run, error))
    return FALSE;
  run.currency = lk_store_get_currency (store);
  if (self->default_owner != NULL)
    {
      const char *owner = find_owner (&run, self->default_owner);

      if (owner == NULL)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                       _("“%s” is not a member of the team; the owner must be a team member’s name"),
                       self->default_owner);
          return FALSE;
        }
      run.default_owner_id = g_strdup (owner);
    }
  if (dry_run)
    run.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.region = g_strdup (lk_store_default_region (store));
  run.pipeline = g_object_ref (lk_store_get_pipeline (store));

  reader = open_reader (self, error);
  if (reader == NULL)
    return FALSE;
  if (g_stat (self->path, &st) == 0)
    size = st.st_size;

  if (!dry_run)
    {
      basename = g_path_get_basename (self->path);
      self->import_id = lk_store_import_begin (store, basename, error);
      if (self->import_id == 0)
        return FALSE;
      /* The search rows of the imported leads are written all at once at
       * the end (a kill before that is recovered at the next open). */
      lk_store_set_defer_search (store, TRUE);
    }

  pipe_start (&pipe, &run, reader, cancellable);
  for (;;)
    {
      Row *row;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        {
          ok = FALSE;
          break;
        }
      if (chunk == NULL || next_row == chunk->n_rows)
        {
          if (chunk != NULL && chunk->last)
            {
              ok = chunk->error == NULL;
              if (!ok)
                local_error = g_steal_pointer (&chunk->error);
              break;
            }
          chunk = pipe_next (&pipe, chunk);
          next_row = 0;
          continue;
        }
      row = &chunk->rows[next_row++];
      if (!dry_run && !in_transaction)
        {
          if (!lk_store_begin (store, &local_error))
            {
              ok = FALSE;
              break;
            }
          in_transaction = TRUE;
          if (!update_known (&run, &local_error))
            {
              ok = FALSE;
              break;
            }
        }
      self->n_rows++;
      if (!import_row (&run, row, &local_error))
        {
          ok = FALSE;
          in_transaction = FALSE;  /* a failed write rolled the batch back */
          break;
        }
      if (++in_batch == BATCH)
        {
          in_batch = 0;
          if (in_transaction)
            {
              in_transaction = FALSE;
              if (!lk_store_commit (store, &local_error))
                {
                  ok = FALSE;
                  break;
                }
            }
          report_progress (progress, user_data, row->bytes_read, size);
          /* After the first batch: a file of many more leads than the
           * database holds loads in bulk (lk-store-bulk.c; the duplicate
           * keys' indexes stay, each row is looked up in them). */
          if (!dry_run && !bulk_decided)
            {
              gint64 read = row->bytes_read;
              gint64 expected = read > 0 ? (gint64) ((double) size / (double) read * self->n_rows) : 0;

              bulk_decided = TRUE;
              if (lk_store_bulk_load_wanted (store, expected) &&
                  !lk_store_begin_bulk_load (store, TRUE, &local_error))
                {
                  ok = FALSE;
                  break;
                }
            }
        }
    }
  pipe_stop (&pipe, chunk);

  if (in_transaction)
    {
      if (ok)
        ok = lk_store_commit (store, &local_error);
      else
        lk_store_rollback (store);
    }
  lk_store_set_defer_search (store, FALSE);

  if (!ok)
    {
      gboolean cancelled = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (!dry_run)
        {
          g_autoptr(GError) index_error = NULL;

          take_back (store, self->import_id, cancelled ? "cancelled" : "failed");
          /* The leads it updated are indexed again now; if that fails
           * too, the next open does it. */
          if (!lk_store_catch_up_search (store, 0, NULL, &index_error))
            g_warning ("Could not index the leads for search: %s", index_error->message);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* The search rows of the leads written, and the indexes a bulk load
   * dropped, are left to lk_store_catch_up_search(): the async run starts
   * it in the background when it returns, like the first pull. */
  if (!dry_run &&
      !lk_store_import_finish (store, self->import_id, "done", self->n_created, self->n_updated,
                               self->n_skipped, self->n_invalid, error))
    return FALSE;
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;
}

/* Behaviour events the last run recorded (or, dry, would record) */
guint
lk_import_get_n_events (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_events;
}

/* The id of the last real run's import, for Undo; 0 after a dry run */
gint64
lk_import_get_id (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->import_id;
}

/* Rows read, blank ones not counted */
guint
lk_import_get_n_rows (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_rows;
}

/* Rows that are no lead's duplicate */
guint
lk_import_get_n_new (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_new;
}

/* Rows that are the same customer as a lead there or an earlier row */
guint
lk_import_get_n_duplicates (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_duplicates;
}

guint
lk_import_get_n_invalid (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_invalid;
}

/* Leads created (or that a dry run would create) */
guint
lk_import_get_n_created (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_created;
}

guint
lk_import_get_n_updated (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_updated;
}

guint
lk_import_get_n_skipped (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->n_skipped;
}

/* Returns: (transfer none) (element-type LkImportProblem): the invalid
 *   rows, in file order */
GPtrArray *
lk_import_get_problems (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), NULL);
  return self->problems;
}

/* Async: the run on a worker thread over its own connection */
typedef struct
{
  LkStore      *store;    /* the caller's: announces the change */
  LkStore      *worker;   /* used by the worker thread only */
  GMainContext *context;  /* where the fraction is set */
  LkImport     *import;
  gboolean      dry_run;
} AsyncRun;

static void
async_run_free (gpointer data)
{
  AsyncRun *job = data;

  g_clear_object (&job->store);
  g_clear_object (&job->worker);
  g_clear_object (&job->import);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static void
set_fraction (GObject *object,
              double   fraction)
{
  LkImport *self = LK_IMPORT (object);

  self->fraction = fraction;
  g_object_notify_by_pspec (object, properties[PROP_FRACTION]);
}

static void
forward_progress (double   fraction,
                  gpointer user_data)
{
  AsyncRun *job = user_data;

  lk_progress_forward (job->context, G_OBJECT (job->import), set_fraction, fraction);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AsyncRun *job = task_data;
  GError *error = NULL;

  if (lk_import_run (LK_IMPORT (source_object), job->worker, job->dry_run, cancellable,
                     forward_progress, job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lk_import_run_async:
 * @store: the main connection; the run opens its own for the worker
 *   thread, and @store emits ::changed when a real run ends
 *
 * lk_import_run() on a worker thread; #LkImport:fraction follows it on
 * this thread's main context.
 */
void
lk_import_run_async (LkImport            *self,
                     LkStore             *store,
                     gboolean             dry_run,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  AsyncRun *job;
  LkStore *worker;

  g_return_if_fail (LK_IS_IMPORT (self));
  g_return_if_fail (LK_IS_STORE (store));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_import_run_async);
  /* A run that wrote before a cancel took it back: still announced. */
  g_task_set_check_cancellable (task, FALSE);
  worker = lk_store_open_worker (store, &error);
  if (worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (AsyncRun, 1);
  job->store = g_object_ref (store);
  job->worker = worker;
  job->import = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  job->dry_run = dry_run;
  self->fraction = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_task_set_task_data (task, job, async_run_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
lk_import_run_finish (LkImport      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  AsyncRun *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (job != NULL && !job->dry_run)
    {
      lk_store_emit_changed (job->store, NULL, NULL);
      /* The imported leads' search rows (lk_import_run()): written on a
       * worker thread, which emits ::changed again when they are. */
      lk_store_catch_up_search_in_background (job->store, NULL);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* How much of the file an async run has read, from 0 to 1 */
double
lk_import_get_fraction (LkImport *self)
{
  g_return_val_if_fail (LK_IS_IMPORT (self), 0);
  return self->fraction;
}

/* Puts back the values an import changed, where they are still what the
 * import wrote; a value edited since stays. Returns: %TRUE when the lead
 * was written. */
static gboolean
restore_lead (LkStore     *store,
              const char  *lead_id,
              const char  *changes_text,
              guint       *n_kept,
              GError     **error)
{
  g_autoptr(LkLead) current = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(LkRecord) restored = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gboolean any = FALSE;

  current = lk_store_get_lead (store, lead_id, &local_error);
  changes = lk_doc_parse (changes_text, -1, NULL);
  if (current == NULL || changes == NULL || lk_record_get_deleted (LK_RECORD (current)))
    {
      (*n_kept)++;
      return TRUE;
    }
  doc = lk_doc_from_record (LK_RECORD (current));
  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      JsonNode *now = json_object_get_member (doc, name);

      if (pair == NULL || json_array_get_length (pair) != 2)
        continue;
      if (now != NULL && json_node_equal (now, json_array_get_element (pair, 1)))
        {
          json_object_set_member (doc, name, json_node_copy (json_array_get_element (pair, 0)));
          any = TRUE;
        }
      else
        (*n_kept)++;
    }
  if (!any)
    return TRUE;
  restored = lk_doc_to_record (doc, error);
  if (restored == NULL)
    return FALSE;
  return lk_store_update_lead (store, LK_LEAD (restored), NULL, error);
}

/**
 * lk_import_undo:
 * @import_id: the import; 0 for the last one that can be undone
 * @n_kept: (out) (optional): values left as they are because they were
 *   edited after the import
 *
 * Deletes the leads import @import_id created, puts back the values it
 * changed and deletes the behaviour events it recorded (scoring their
 * leads again), as ordinary local edits that sync, in transactions of
 * BATCH leads. Cancelled, it stops after a batch; running it again
 * finishes.
 */
gboolean
lk_import_undo (LkStore               *store,
                gint64                 import_id,
                GCancellable          *cancellable,
                LkImportProgressFunc   progress,
                gpointer               user_data,
                guint                 *n_kept,
                GError               **error)
{
  g_autoptr(LkImportEntry) entry = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint kept = 0;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  entry = lk_store_get_import (store, import_id, error);
  if (entry == NULL)
    return FALSE;
  if (g_str_equal (entry->state, "undone"))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("The import of “%s” has already been undone"),
                   entry->file_name);
      return FALSE;
    }
  changes = lk_store_list_import_changes (store, entry->id, error);
  events = lk_store_list_import_events (store, entry->id, error);
  if (changes == NULL || events == NULL)
    return FALSE;
  for (guint i = 0; i < changes->len; i += BATCH)
    {
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) || !lk_store_begin (store, error))
        return FALSE;
      for (guint j = i; ok && j < MIN (changes->len, i + BATCH); j++)
        {
          LkImportChange *change = g_ptr_array_index (changes, j);
          g_autoptr(GError) local_error = NULL;

          if (change->changes == NULL)
            {
              ok = lk_store_delete_lead (store, change->lead_id, &local_error) ||
                   g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND);
            }
          else
            ok = restore_lead (store, change->lead_id, change->changes, &kept, &local_error);
          if (!ok && local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
        }
      if (!ok)
        {
          lk_store_rollback (store);
          return FALSE;
        }
      if (!lk_store_commit (store, error))
        return FALSE;
      if (progress != NULL)
        progress ((double) MIN (changes->len, i + BATCH) / (changes->len + events->len), user_data);
    }
  /* After the leads: a lead the import created is gone by now and is not
   * scored again for nothing; an updated one is scored without them. */
  for (guint i = 0; i < events->len;)
    {
      guint end = MIN (events->len, i + BATCH);
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) || !lk_store_begin (store, error))
        return FALSE;
      /* A batch ends with a lead's last event. */
      while (end < events->len &&
             g_str_equal (((LkImportEvent *) g_ptr_array_index (events, end))->lead_id,
                          ((LkImportEvent *) g_ptr_array_index (events, end - 1))->lead_id))
        end++;
      while (ok && i < end)
        {
          const char *lead_id = ((LkImportEvent *) g_ptr_array_index (events, i))->lead_id;
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();

          for (; i < end && g_str_equal (((LkImportEvent *) g_ptr_array_index (events, i))->lead_id, lead_id); i++)
            g_ptr_array_add (ids, ((LkImportEvent *) g_ptr_array_index (events, i))->activity_id);
          g_ptr_array_add (ids, NULL);
          ok = lk_store_import_remove_events (store, lead_id, (const char * const *) ids->pdata, error);
        }
      if (!ok)
        {
          lk_store_rollback (store);
          return FALSE;
        }
      if (!lk_store_commit (store, error))
        return FALSE;
      if (progress != NULL)
        progress ((double) (changes->len + i) / (changes->len + events->len), user_data);
    }
  if (!lk_store_import_set_state (store, entry->id, "undone", error))
    return FALSE;
  if (n_kept != NULL)
    *n_kept = kept;
  return TRUE;
}

typedef struct
{
  LkStore *store;
  LkStore *worker;
  gint64   import_id;
} AsyncUndo;

static void
async_undo_free (gpointer data)
{
  AsyncUndo *job = data;

  g_clear_object (&job->store);
  g_clear_object (&job->worker);
  g_free (job);
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncUndo *job = task_data;
  GError *error = NULL;

  if (lk_import_undo (job->worker, job->import_id, cancellable, NULL, NULL, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* lk_import_undo() on a worker thread; @store emits ::changed at the end. */
void
lk_import_undo_async (LkStore             *store,
                      gint64               import_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  AsyncUndo *job;
  LkStore *worker;

  g_return_if_fail (LK_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_import_undo_async);
  g_task_set_check_cancellable (task, FALSE);
  worker = lk_store_open_worker (store, &error);
  if (worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (AsyncUndo, 1);
  job->store = g_object_ref (store);
  job->worker = worker;
  job->import_id = import_id;
  g_task_set_task_data (task, job, async_undo_free);
  g_task_run_in_thread (task, undo_thread);
}

gboolean
lk_import_undo_finish (GAsyncResult  *result,
                       GError       **error)
{
  AsyncUndo *job;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  lk_store_emit_changed (job->store, NULL, NULL);
  return g_task_propagate_boolean (G_TASK (result), error);
}
