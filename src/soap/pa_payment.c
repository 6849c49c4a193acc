/* paVerifyPaymentNotice, paGetPayment[V2] and paDemandPaymentNotice over
 * the debt domain: what a notice is worth today, its payment data with
 * the transfers (V2: metadata and the stamp duty request), a position
 * created on demand for a spontaneous payment. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "domain/debt/debt_sanp.h"
#include "domain/pagopa/pagopa_xml.h"
#include "domain/taxpayer/taxpayer.h"
#include "soap/pa_internal.h"

/* The notice of the qrCode, in the Ente of idPA; ERR_OK or the KO written. */
static err_code lookup(pa_ctx *c, const sanp_qr_code *qr, debt_notice *n) {
  err_code rc = strcmp(qr->fiscal_code, c->e.fiscal_code)
                    ? ERR_NOTICE_UNKNOWN
                    : debt_notice_lookup(c->d, c->a, c->e.id, qr->notice_number, c->today, n);
  switch (rc) {
    case ERR_OK:
      return ERR_OK;
    case ERR_NOTICE_UNKNOWN:
      pa_ko(c, rc, "notice %s of %s is unknown", qr->notice_number, qr->fiscal_code);
      break;
    case ERR_NOTICE_PAID:
      pa_ko(c, rc, "notice %s is already paid", qr->notice_number);
      break;
    case ERR_NOTICE_EXPIRED:
      pa_ko(c, rc, "notice %s has expired", qr->notice_number);
      break;
    case ERR_NOTICE_CANCELLED:
      pa_ko(c, rc, "notice %s has been cancelled", qr->notice_number);
      break;
    default:
      pa_ko(c, rc, "notice lookup");
      break;
  }
  return rc;
}

static civil_date parse_date(const char *s) {
  civil_date d = {2000, 1, 1};
  if (s) date_parse_iso(s, &d);
  return d;
}

/* allCCP: every transfer can be paid into a postal account. */
static int all_ccp(const debt_option *o) {
  if (!o->n_transfers) return 0;
  for (size_t i = 0; i < o->n_transfers; i++)
    if (!o->transfers[i].postal_account) return 0;
  return 1;
}

static sanp_payment_option option_of(const debt_notice *n, int64_t amount) {
  sanp_payment_option o = {0};
  o.amount_cents = amount;
  o.options = SANP_OPTION_EQ;
  o.has_due_date = 1;
  o.due_date = parse_date(n->option->due_date);
  o.all_ccp = all_ccp(n->option);
  return o;
}

void pa_verify(pa_ctx *c) {
  debt_notice n;
  if (lookup(c, &c->req.u.verify.qr, &n) != ERR_OK) return;
  sanp_verify_res r = {0};
  r.option = option_of(&n, n.due_today);
  r.payment_description = pa_text(c->a, n.act.description, 140);
  r.fiscal_code_pa = c->e.fiscal_code;
  r.company_name = pa_text(c->a, c->e.name, 140);
  sanp_error se;
  if (sanp_encode_verify_ok(c->a, &r, &c->xml, &c->len, &se) != ERR_OK) pa_encode_failed(c, &se);
}

/* "9/0101101IM/" -> "0101101IM": transferCategory carries the taxonomy
 * code without its version and the trailing slash. */
static const char *category(arena *a, const char *taxonomy) {
  size_t n = taxonomy ? strlen(taxonomy) : 0;
  if (n > 3 && taxonomy[1] == '/' && taxonomy[n - 1] == '/') return arena_strndup(a, taxonomy + 2, n - 3);
  return taxonomy ? taxonomy : "";
}

static void debtor_of(pa_ctx *c, const debt_act *x, sanp_subject *s, const char **province) {
  memset(s, 0, sizeof *s);
  *province = NULL;
  const char *cf = x->taxpayer_cf ? x->taxpayer_cf : "ANONIMO";
  s->id_type = strlen(cf) == 11 ? 'G' : 'F';
  s->id_value = cf;
  s->full_name = pa_text(c->a, x->taxpayer_name && *x->taxpayer_name ? x->taxpayer_name : cf, 70);
  taxpayer tp;
  if (taxpayer_get(c->d, c->a, c->e.id, x->taxpayer_id, &tp) != ERR_OK || !tp.n_addresses) return;
  const tp_address *ad = &tp.addresses[0];
  for (size_t i = 0; i < tp.n_addresses; i++)
    if (tp.addresses[i].kind && !strcmp(tp.addresses[i].kind, "residenza")) ad = &tp.addresses[i];
  s->street_name = pa_text(c->a, ad->street, 70);
  s->postal_code = pa_text(c->a, ad->postal_code, 16);
  s->city = pa_text(c->a, ad->city, 35);
  s->state_province_region = pa_text(c->a, ad->province, 35);
  if (ad->country && strlen(ad->country) == 2) s->country = ad->country;
  if (ad->province && strlen(ad->province) == 2) *province = ad->province;
}

/* hashDocumento: base64 of the SHA-256 of what the stamp is paid for (the
 * Ente, the act and the notice). */
static const char *stamp_hash(pa_ctx *c, const debt_notice *n) {
  unsigned char h[crypto_hash_sha256_BYTES];
  char *doc = arena_printf(c->a, "%s|%lld|%s", c->e.fiscal_code, (long long)n->act.id, n->option->nav);
  crypto_hash_sha256(h, (const unsigned char *)doc, strlen(doc));
  size_t bl = sodium_base64_encoded_len(sizeof h, sodium_base64_VARIANT_ORIGINAL);
  char *out = arena_alloc(c->a, bl);
  sodium_bin2base64(out, bl, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

void pa_get_payment(pa_ctx *c) {
  const sanp_get_payment_req *q = &c->req.u.get_payment;
  int v2 = c->req.op == SANP_OP_GET_PAYMENT_V2;
  debt_notice n;
  if (lookup(c, &q->qr, &n) != ERR_OK) return;
  const debt_option *o = n.option;
  if (!o->n_transfers || o->n_transfers > DEBT_MAX_TRANSFERS) {
    pa_ko(c, ERR_INTERNAL, "option %lld has %zu transfers", (long long)o->id, o->n_transfers);
    return;
  }
  debt_revenue_sanp rs;
  err_code rc = debt_revenue_sanp_get(c->d, c->a, c->e.id, n.act.revenue_id, &rs);
  if (rc != ERR_OK) {
    pa_ko(c, rc, "revenue settings");
    return;
  }
  int stamp = rs.stamp_cents > 0;
  if (stamp && !v2) {
    pa_ko(c, ERR_STAMP_NEEDS_V2, "notice %s includes a digital stamp: use paGetPaymentV2",
          q->qr.notice_number);
    return;
  }
  /* the stored transfers are for the option's amount: what is due today is
   * split in the same proportions, to the cent */
  int64_t weights[DEBT_MAX_TRANSFERS], parts[DEBT_MAX_TRANSFERS];
  for (size_t i = 0; i < o->n_transfers; i++) weights[i] = o->transfers[i].amount_cents;
  debt_split_parts(n.due_today, weights, o->n_transfers, parts);
  size_t nt = o->n_transfers;
  sanp_transfer *ts = ARENA_ARRAY(c->a, sanp_transfer, nt + 1);
  const char *remittance = pa_text(c->a, n.act.description, 140);
  for (size_t i = 0; i < nt; i++) {
    const debt_transfer *t = &o->transfers[i];
    memset(&ts[i], 0, sizeof ts[i]);
    ts[i].id_transfer = t->position;
    ts[i].amount_cents = parts[i];
    ts[i].fiscal_code_pa = t->beneficiary_cf;
    if (v2) ts[i].company_name = pa_text(c->a, t->beneficiary_name, 140);
    ts[i].iban = t->iban;
    ts[i].remittance_information = remittance;
    ts[i].transfer_category = category(c->a, t->taxonomy);
    if (parts[i] <= 0) {
      pa_ko(c, ERR_NOTICE_PAID, "notice %s: nothing left to pay on transfer %d", q->qr.notice_number,
            t->position);
      return;
    }
  }
  sanp_payment p = {0};
  p.creditor_reference_id = o->iuv;
  p.payment_amount_cents = n.due_today;
  p.due_date = parse_date(o->due_date);
  p.last_payment = -1;
  p.description = remittance;
  p.company_name = pa_text(c->a, c->e.name, 140);
  const char *province;
  debtor_of(c, &n.act, &p.debtor, &province);
  if (stamp) {
    /* the stamp is part of the amount: taken from the Ente's own transfer */
    sanp_transfer *own = &ts[0];
    int used = 0;
    for (size_t i = 0; i < nt; i++) used |= 1 << ts[i].id_transfer;
    int id = 1;
    while (id <= 5 && (used & (1 << id))) id++;
    if (!province || id > 5 || own->amount_cents <= rs.stamp_cents) {
      pa_ko_fault(c, PAA_SEMANTICA,
                  !province ? "the debtor's province of residence, needed for the digital stamp, is unknown"
                            : "the digital stamp does not fit in this payment");
      return;
    }
    own->amount_cents -= rs.stamp_cents;
    sanp_transfer *st = &ts[nt++];
    memset(st, 0, sizeof *st);
    st->id_transfer = id;
    st->amount_cents = rs.stamp_cents;
    st->fiscal_code_pa = c->e.fiscal_code;
    st->company_name = pa_text(c->a, c->e.name, 140);
    st->stamp_hash = stamp_hash(c, &n);
    st->stamp_type = "01";
    st->stamp_province = province;
    st->remittance_information = pa_text(c->a, arena_printf(c->a, "Imposta di bollo - %s", remittance), 140);
    st->transfer_category = own->transfer_category;
  }
  p.transfers = ts;
  p.n_transfers = nt;
  if (v2) {
    sanp_map_entry *m = ARENA_ARRAY(c->a, sanp_map_entry, 2);
    m[0] = (sanp_map_entry){"annoRiferimento", arena_printf(c->a, "%d", n.act.year)};
    m[1] = (sanp_map_entry){"numeroAtto", pa_text(c->a, n.act.number, 140)};
    p.metadata = (sanp_metadata){m, 2};
  }
  sanp_error se;
  if (sanp_encode_get_payment_ok(c->a, c->req.op, &p, &c->xml, &c->len, &se) != ERR_OK)
    pa_encode_failed(c, &se);
}

/* ---- paDemandPaymentNotice ---- */

/* The text of the first element named name anywhere under node. */
static const char *find_text(arena *a, xmlNode *node, const char *name) {
  for (xmlNode *x = node; x; x = x->next) {
    if (x->type != XML_ELEMENT_NODE) continue;
    if (!strcmp((const char *)x->name, name)) {
      xmlChar *t = xmlNodeGetContent(x);
      char *s = t ? arena_strdup(a, (const char *)t) : NULL;
      xmlFree(t);
      return s;
    }
    const char *in = find_text(a, x->children, name);
    if (in) return in;
  }
  return NULL;
}

void pa_demand(pa_ctx *c) {
  const sanp_demand_req *q = &c->req.u.demand;
  xmlDoc *doc = NULL;
  char msg[256];
  if (pagopa_xml_read((const char *)q->dati, q->dati_len, 65536, 16, &doc, msg, sizeof msg) != 0) {
    pa_ko_fault(c, PAA_SEMANTICA, "datiSpecificiServizioRequest is not well-formed XML");
    return;
  }
  xmlNode *root = xmlDocGetRootElement(doc);
  debt_spontaneous_req sq = {q->id_servizio, find_text(c->a, root, "debtorFiscalCode"),
                             find_text(c->a, root, "debtorFullName"), 0};
  const char *amount = find_text(c->a, root, "amount");
  xmlFreeDoc(doc);
  if (!sq.debtor_cf || !amount || pagopa_amount_parse(amount, &sq.amount_cents) != 0 ||
      sq.amount_cents <= 0) {
    pa_ko_fault(c, PAA_SEMANTICA,
                "datiSpecificiServizioRequest needs debtorFiscalCode and a positive amount");
    return;
  }
  debt_act x;
  err_code rc = debt_spontaneous_create(c->d, c->a, &c->e, &sq, &c->who, &x);
  if (rc == ERR_SPONTANEOUS) {
    pa_ko(c, rc, "service %s does not take spontaneous payments at %s", q->id_servizio, c->e.fiscal_code);
    return;
  }
  if (rc == ERR_INVALID) {
    pa_ko(c, rc, "the debtor or the amount of the request is not valid");
    return;
  }
  if (rc != ERR_OK || x.n_options < 1) {
    pa_ko(c, rc == ERR_OK ? ERR_INTERNAL : rc, "spontaneous position");
    return;
  }
  sanp_demand_res r = {0};
  r.qr = (sanp_qr_code){c->e.fiscal_code, x.options[0].nav};
  r.option.amount_cents = x.options[0].amount_cents;
  r.option.options = SANP_OPTION_EQ;
  r.option.has_due_date = 1;
  r.option.due_date = parse_date(x.options[0].due_date);
  r.option.all_ccp = all_ccp(&x.options[0]);
  r.payment_description = pa_text(c->a, x.description, 140);
  r.fiscal_code_pa = c->e.fiscal_code;
  r.company_name = pa_text(c->a, c->e.name, 140);
  sanp_error se;
  if (sanp_encode_demand_ok(c->a, &r, &c->xml, &c->len, &se) != ERR_OK) pa_encode_failed(c, &se);
}
