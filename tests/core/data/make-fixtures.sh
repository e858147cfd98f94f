#!/usr/bin/env bash
# Writes the CSV fixtures with the bytes spreadsheet programs produce.
# The files are committed; run this only to change them.
#   excel-utf8.csv      Excel "CSV UTF-8": a BOM, CRLF, quotes only where needed
#   excel-gb18030.csv   Excel "CSV" on Chinese Windows: GB18030 (GBK and beyond), CRLF
#   excel-unicode.txt   Excel "Unicode text": UTF-16LE with a BOM, tabs, CRLF
#   libreoffice.csv     LibreOffice Calc defaults: UTF-8 without BOM, LF, English headers
#   semicolon-cr.csv    a European export: semicolons, old Mac CR line ends
#   invalid-rows.csv    one invalid row of each kind among valid ones
#   unclosed-quote.csv  a quoted field that never ends
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

chinese_rows ()
{
  # $1: line end. A note with a line break inside (Alt+Enter: LF), quotes
  # doubled, a comma inside quotes, a supplementary-plane character (𠮷,
  # 4 bytes in GB18030).
  local e=$1
  printf '公司名称,联系人,职位,手机,邮箱,行业,省份,线索来源,意向等级,预计金额（万元）,负责人,标签,备注,下次跟进%s' "$e"
  printf '上海华信科技有限公司,李雷,采购经理,138 0013 8000,LiLei@HuaXin.example.com,软件与信息服务,上海,展会,A,12.5,韩梅梅,"重点客户,比价中",需要报价,2024/5/20%s' "$e"
  printf '北京恒达物流有限公司,王芳,总经理,+86 139-1234-5678,wangfang@hengda.example.cn,物流运输,北京,官网表单,高,8,李雷,VIP,"第一行\n第二行",2024年6月1日%s' "$e"
  printf '𠮷野家餐饮管理有限公司,张伟,店长,010-6552 9988,,餐饮零售,北京,客户推荐,C,"1,200元",,,"他说""尽快""报价",%s' "$e"
  printf '深圳智汇电子股份有限公司,陈静,工程师,13712345678,chenjing@zhihui.example.cn,电子元器件,广东,展会,B,3万,韩梅梅,,,2024-07-15%s' "$e"
}

chinese_rows $'\r\n' > utf8.tmp
{ printf '\xEF\xBB\xBF'; cat utf8.tmp; } > excel-utf8.csv
iconv -f UTF-8 -t GB18030 utf8.tmp > excel-gb18030.csv
rm utf8.tmp

# Excel's Unicode text: tabs; cells with a line break or a quote quoted.
{
  printf '公司名称\t联系人\t电话\t邮箱\t备注\r\n'
  printf '上海华信科技有限公司\t李雷\t13800138000\tlilei@huaxin.example.com\t"第一行\n第二行"\r\n'
  printf '恒达物流集团\t王芳\t13912345678\t\t"逗号, 不分列"\r\n'
  printf 'Northwind GmbH\tAnna Weber\t+49 30 1234567\tanna.weber@northwind.example.de\t"Sagte ""bald"""\r\n'
} | iconv -f UTF-8 -t UTF-16LE > body.tmp
{ printf '\xFF\xFE'; cat body.tmp; } > excel-unicode.txt
rm body.tmp

{
  printf 'Company,Contact name,Job title,Mobile,E-mail,Industry,Region,Lead source,Campaign,Grade,Amount,Owner,Tags,Notes,Next follow-up\n'
  printf '"Blue River Co., Ltd.",Emma Brown,CTO,+1 415 555 0132,emma@blueriver.example.com,Software,California,Webinar,Spring Webinar,B,"125,000.50",Anna Weber,"pilot; security review",,2024-05-03\n'
  printf '"Summit Apex, Inc.",James Lee,Buyer,+44 20 7946 0958,james@summit.example.co.uk,Manufacturing,London,Trade show,,a,"$12,000",,,"Met at booth 12\nwants a quote",\n'
  printf 'Pinewood GmbH,Klaus Meyer,Einkauf,+49 89 1234567,k.meyer@pinewood.example.de,Manufacturing,Bavaria,Partner referral,,,0,,,,\n'
} > libreoffice.csv

printf 'Firma;Contact;Phone;Email\rNova SA;Marie Dubois;+33 1 42 68 53 00;marie@nova.example.fr\r"Harbor; Co";Jan Jansen;+49 40 123456;jan@harbor.example.de\r' > semicolon-cr.csv

{
  printf '公司名称,联系人,手机,邮箱,意向等级,金额,下次跟进,负责人\r\n'
  printf '正常科技有限公司,赵一,13800000001,zhao@ok.example.com,A,100,2024-05-03,\r\n'
  printf '号码错误有限公司,钱二,12345,qian@bad.example.com,B,,,\r\n'
  printf '邮箱错误有限公司,孙三,13800000003,sun-at-example.com,B,,,\r\n'
  printf ',,13800000004,,,,,\r\n'
  printf '等级错误有限公司,李四,13800000005,,D,,,\r\n'
  printf '金额错误有限公司,周五,13800000006,,,很多,,\r\n'
  printf '日期错误有限公司,吴六,13800000007,,,,明天,\r\n'
  printf '负责人错误有限公司,郑七,13800000008,,,,,王小明\r\n'
  printf '多一列有限公司,王八,13800000009,,,,,,多出来的\r\n'
  printf ',,,,,,,\r\n'
  printf '"多行备注有限公司",冯九,13800000010,,C,5万,2024/12/1,\r\n'
} > invalid-rows.csv

printf 'Company,Notes\r\nGood Ltd,fine\r\nBroken Ltd,"starts here\r\nand never ends\r\nNext Ltd,x\r\n' > unclosed-quote.csv
