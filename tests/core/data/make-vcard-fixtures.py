#!/usr/bin/env python3
# Writes the vCard fixtures with the bytes phones and scanner apps produce.
# The files are committed; run this only to change them.
#   ios-contacts.vcf   iOS Contacts "Share contacts": 3.0, UTF-8, CRLF, item groups,
#                      type=pref, a folded PHOTO, a company card (X-ABShowAs:COMPANY)
#   android.vcf        Android Contacts "Export": 2.1, CHARSET=UTF-8 and
#                      QUOTED-PRINTABLE for anything not ASCII, soft line breaks
#   scanner-4.0.vcf    a business-card scanner app: 4.0, tel: URIs, PREF=1,
#                      quoted parameter values, IMPP, lines folded at 75 octets
#   qp-gb18030.vcf     a Chinese Windows program: 2.1, CHARSET=GB18030 / GBK with
#                      QUOTED-PRINTABLE, and a Big5 card with raw bytes, LF ends
#   invalid.vcf        good cards among bad ones (unknown charset, a line that is
#                      not a property, no name, no END:VCARD)
import os

os.chdir(os.path.dirname(os.path.abspath(__file__)))


def qp(data: bytes, soft_at: int = 0) -> bytes:
    """Quoted-printable as vCard 2.1 writers do it: every byte outside
    printable ASCII as =XX; a soft line break (=CRLF) every soft_at bytes."""
    out = b''
    for b in data:
        if 33 <= b <= 126 and b != ord('='):
            out += bytes([b])
        elif b == 32:
            out += b' '
        else:
            out += b'=%02X' % b
    if soft_at:
        parts = [out[i:i + soft_at] for i in range(0, len(out), soft_at)]
        # never cut an =XX
        fixed, carry = [], b''
        for p in parts:
            p = carry + p
            carry = b''
            cut = p.rfind(b'=', len(p) - 2)
            if cut >= 0:
                p, carry = p[:cut], p[cut:]
            fixed.append(p)
        if carry:
            fixed.append(carry)
        out = b'=\r\n'.join(fixed)
    return out


def fold(line: bytes) -> bytes:
    out, width = b'', 75
    while len(line) > width:
        cut = width
        while cut > 0 and (line[cut] & 0xC0) == 0x80:
            cut -= 1
        out += line[:cut] + b'\r\n '
        line = line[cut:]
        width = 74
    return out + line


def crlf(lines):
    return b''.join(l + b'\r\n' for l in lines)


photo = b'PHOTO;ENCODING=b;TYPE=JPEG:' + b'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k='
ios = crlf([
    b'BEGIN:VCARD', b'VERSION:3.0', b'PRODID:-//Apple Inc.//iPhone OS 17.4//EN',
    'N:李;雷;;;'.encode(), 'FN:李雷'.encode(), 'ORG:上海华信科技有限公司;采购部'.encode(),
    'TITLE:采购经理'.encode(),
    b'item1.EMAIL;type=INTERNET;type=pref:LiLei@HuaXin.example.com',
    b'TEL;type=CELL;type=VOICE;type=pref:138 0013 8000',
    b'TEL;type=WORK;type=VOICE:021-6555 1234',
    'item2.ADR;type=WORK;type=pref:;;浦东新区张江路88号;上海;上海;201203;中国'.encode(),
    b'item2.X-ABADR:cn',
    'NOTE:展会上认识\\n需要报价\\, 比价中'.encode(),
    b'item3.URL;type=pref:https://huaxin.example.com',
    b'item3.X-ABLabel:_$!<HomePage>!$_',
    fold(photo),
    b'END:VCARD',
    b'BEGIN:VCARD', b'VERSION:3.0', b'PRODID:-//Apple Inc.//iPhone OS 17.4//EN',
    b'N:Weber;Anna;;;', b'FN:Anna Weber', b'ORG:Northwind GmbH;', b'TITLE:Head of Purchasing',
    b'item1.EMAIL;type=INTERNET;type=pref:anna.weber@northwind.example.de',
    b'TEL;type=WORK;type=VOICE;type=pref:+49 30 1234567',
    b'item2.ADR;type=WORK;type=pref:;;Friedrichstra\xc3\x9fe 10;Berlin;;10117;Germany',
    fold(b'NOTE:Met at the Hannover Messe booth. Wants a quote for 200 units before the end of the quarter\\; call back on Monday.'),
    b'CATEGORIES:Trade fair,VIP',
    b'END:VCARD',
    b'BEGIN:VCARD', b'VERSION:3.0', b'PRODID:-//Apple Inc.//iPhone OS 17.4//EN',
    b'N:;;;;', 'FN:北京恒达物流有限公司'.encode(), 'ORG:北京恒达物流有限公司;'.encode(),
    b'TEL;type=MAIN:010-8888 1234', b'X-ABShowAs:COMPANY',
    b'END:VCARD',
])
open('ios-contacts.vcf', 'wb').write(ios)

u = lambda s: s.encode('utf-8')
android = crlf([
    b'BEGIN:VCARD', b'VERSION:2.1',
    b'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp(u('王')) + b';' + qp(u('芳')) + b';;;',
    b'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp(u('王芳')),
    b'TEL;CELL:+86 139-1234-5678',
    b'TEL;WORK:010-6552 1000',
    b'EMAIL;HOME:wangfang@hengda.example.cn',
    b'ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp(u('北京恒达物流有限公司')),
    b'TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp(u('总经理')),
    b'NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:' + qp(u('第一行\r\n第二行：物流系统升级，预算待定'), 67),
    b'END:VCARD',
    b'BEGIN:VCARD', b'VERSION:2.1',
    b'N:Brown;Tom;;;', b'FN:Tom Brown',
    b'TEL;CELL;PREF:+1 415 555 0101',
    b'EMAIL;WORK:tom@acme.example.com',
    b'ORG:Acme Corp.',
    b'END:VCARD',
])
open('android.vcf', 'wb').write(android)

scanner = crlf([
    b'BEGIN:VCARD', b'VERSION:4.0', b'PRODID:-//IntSig//CamCard 7.80//EN',
    u('FN:陈静'), u('N:陈;静;;;'), u('ORG:深圳智汇电子股份有限公司'), u('TITLE:硬件工程师'),
    b'TEL;TYPE="work,voice";VALUE=uri:tel:+86-755-8888-6666',
    b'TEL;TYPE=cell;PREF=1;VALUE=uri:tel:+86-137-1234-5678',
    b'EMAIL;TYPE=work:chenjing@zhihui.example.cn',
    fold(u('ADR;TYPE=work;LABEL="广东省深圳市南山区科技园南区 8 栋":;;南山区科技园南区 8 栋;深圳;广东;518057;中国')),
    b'URL:https://zhihui.example.cn',
    b'IMPP:weixin:chenjing_sz',
    fold(u('NOTE:展会名片：2024 深圳电子展，对传感器模组有兴趣，需要样品和报价单，下周联系采购负责人。')),
    b'END:VCARD',
])
open('scanner-4.0.vcf', 'wb').write(scanner)

g = lambda s: s.encode('gb18030')
gb = (b'BEGIN:VCARD\n' b'VERSION:2.1\n'
      b'N;CHARSET=GB18030;ENCODING=QUOTED-PRINTABLE:' + qp(g('张')) + b';' + qp(g('伟')) + b'\n'
      b'FN;CHARSET=GB18030;ENCODING=QUOTED-PRINTABLE:' + qp(g('张伟')) + b'\n'
      b'ORG;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:' + qp(g('𠮷野家餐饮管理有限公司'), 30).replace(b'\r\n', b'\n') + b'\n'
      b'TITLE;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:' + qp(g('店长')) + b'\n'
      b'TEL;WORK;VOICE:010-6552 9988\n'
      b'END:VCARD\n'
      b'BEGIN:VCARD\n' b'VERSION:3.0\n'
      b'FN;CHARSET=BIG5:' + '陳美玲'.encode('big5') + b'\n'
      b'ORG;CHARSET=BIG5:' + '台灣精密工業股份有限公司'.encode('big5') + b'\n'
      b'TEL;TYPE=WORK:+886 2 2345 6789\n'
      b'END:VCARD\n')
open('qp-gb18030.vcf', 'wb').write(gb)

invalid = crlf([
    b'BEGIN:VCARD', b'VERSION:3.0', u('FN:赵敏'), u('ORG:杭州云帆网络科技有限公司'), b'TEL:13600001111', b'END:VCARD',   # 1-6
    b'BEGIN:VCARD', b'VERSION:3.0', b'FN;CHARSET=KLINGON:Worf', b'END:VCARD',                                          # 7-10
    b'BEGIN:VCARD', b'VERSION:3.0', b'FN:Jane Roe', b'this line has no colon', b'END:VCARD',                           # 11-15
    b'BEGIN:VCARD', b'VERSION:3.0', b'TEL:13700002222', b'END:VCARD',                                                  # 16-19
    b'BEGIN:VCARD', b'VERSION:3.0', b'FN:Grace Hopper', b'ORG:Navy Labs', b'END:VCARD',                                # 20-24
    b'BEGIN:VCARD', b'VERSION:3.0', b'FN:Cut Short',                                                                  # 25-27
])
open('invalid.vcf', 'wb').write(invalid)
