/* POST /pagopa/paForNode: the station the Nodo pagoPA calls. The request
 * is decoded by the SANP codec (every XSD facet, no entities, size
 * limited), the caller checked (address, Ente of idPA, broker, station),
 * then the operation answered. Outcomes OK and KO are HTTP 200; a SOAP
 * Fault with 500 only when the operation cannot be told. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/cidr.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/date.h"
#include "core/log.h"
#include "domain/pagopa/receipt.h"
#include "soap/pa_internal.h"

const char *pa_text(arena *a, const char *s, size_t max) {
  if (!s) return NULL;
  size_t i = 0, chars = 0;
  while (s[i] && chars < max) {
    unsigned char b = (unsigned char)s[i];
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
    for (size_t k = 1; k < n; k++)
      if (!s[i + k]) return arena_strndup(a, s, i); /* cut inside a character */
    i += n;
    chars++;
  }
  return s[i] ? arena_strndup(a, s, i) : s;
}

/* faultBean.id: the Ente when known, else our broker. */
static const char *fault_id(const pa_ctx *c) {
  if (c->e.fiscal_code) return c->e.fiscal_code;
  const char *b = config_str("pagopa", "broker_id");
  return *b ? b : "00000000000";
}

void pa_ko_fault(pa_ctx *c, sanp_fault f, const char *description) {
  sanp_fault_bean fb = {f, fault_id(c), description};
  sanp_error se;
  c->status = 200;
  if (sanp_encode_ko(c->a, c->req.op, &fb, &c->xml, &c->len, &se) != ERR_OK) {
    fb = (sanp_fault_bean){PAA_SYSTEM_ERROR, "00000000000", NULL};
    sanp_encode_ko(c->a, c->req.op, &fb, &c->xml, &c->len, &se);
  }
}

void pa_ko(pa_ctx *c, err_code rc, const char *fmt, ...) {
  char desc[384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(desc, sizeof desc, fmt, ap);
  va_end(ap);
  sanp_fault f = sanp_fault_from_code(err_pagopa_fault(rc));
  if (f == PAA_NONE) f = PAA_SYSTEM_ERROR;
  if (f == PAA_SYSTEM_ERROR) {
    const char *cause = err_cause_peek();
    log_error("pagopa %s -> %s: %s", sanp_op_name(c->req.op), err_slug(rc), cause ? cause : desc);
    err_cause_clear();
    snprintf(desc, sizeof desc, "temporary error, retry later");
  }
  pa_ko_fault(c, f, desc);
}

void pa_encode_failed(pa_ctx *c, const sanp_error *se) {
  log_error("pagopa %s: response refused by the encoder at %s: %s", sanp_op_name(c->req.op), se->field,
            se->description);
  pa_ko_fault(c, PAA_SYSTEM_ERROR, "the response could not be built");
}

static const sanp_caller *caller_of(const sanp_request *r) {
  switch (r->op) {
    case SANP_OP_VERIFY:
      return &r->u.verify.caller;
    case SANP_OP_GET_PAYMENT:
    case SANP_OP_GET_PAYMENT_V2:
      return &r->u.get_payment.caller;
    case SANP_OP_SEND_RT:
    case SANP_OP_SEND_RT_V2:
      return &r->u.send_rt.caller;
    case SANP_OP_DEMAND:
      return &r->u.demand.caller;
    default:
      return NULL;
  }
}

/* idPA names one of our Enti, idBrokerPA and idStation are ours (the
 * Ente's own when it has them, else [pagopa]). ERR_OK or the KO written. */
static err_code check_caller(pa_ctx *c) {
  const sanp_caller *who = caller_of(&c->req);
  err_code rc = ERR_NOT_FOUND;
  if (pagopa_digits(who->id_pa, 11)) rc = ente_by_fiscal_code(c->d, c->a, who->id_pa, &c->e);
  if (rc == ERR_NOT_FOUND) {
    pa_ko(c, ERR_PA_DOMAIN, "idPA %s is not served by this station", pa_text(c->a, who->id_pa, 35));
    return ERR_PA_DOMAIN;
  }
  if (rc != ERR_OK) {
    pa_ko(c, rc, "Ente lookup");
    return rc;
  }
  const char *broker = config_str("pagopa", "broker_id"), *station = config_str("pagopa", "station_id");
  debt_pagopa pp;
  rc = debt_pagopa_get(c->d, c->a, c->e.id, &pp);
  if (rc == ERR_OK) {
    if (pp.broker_id && *pp.broker_id) broker = pp.broker_id;
    if (pp.station_id && *pp.station_id) station = pp.station_id;
  } else if (rc != ERR_NOT_FOUND) {
    pa_ko(c, rc, "settings lookup");
    return rc;
  }
  if (!*broker || strcmp(broker, who->id_broker_pa) != 0) {
    pa_ko(c, ERR_PA_BROKER, "idBrokerPA %s is not the broker of %s", pa_text(c->a, who->id_broker_pa, 35),
          c->e.fiscal_code);
    return ERR_PA_BROKER;
  }
  if (!*station || strcmp(station, who->id_station) != 0) {
    pa_ko(c, ERR_PA_STATION, "idStation %s is not the station of %s", pa_text(c->a, who->id_station, 35),
          c->e.fiscal_code);
    return ERR_PA_STATION;
  }
  return ERR_OK;
}

static void answer(response *rs, const pa_ctx *c) {
  rs->status = c->status;
  rs->content_type = "text/xml; charset=utf-8";
  sb_appendn(&rs->body, c->xml, c->len);
}

err_code soap_pa_for_node(request *rq, response *rs) {
  pa_ctx c;
  memset(&c, 0, sizeof c);
  c.rq = rq;
  c.a = rq->a;
  c.d = rq->db;
  c.who = (actor){"pagopa", 0};
  c.status = 200;
  date_format_iso(date_today_rome(clock_now()), c.today);
  sanp_error se;
  memset(&se, 0, sizeof se);
  const char *allowed = config_str("pagopa", "allowed_ips");
  if (*allowed && !cidr_list_match(allowed, rq->client_ip)) {
    log_warn("pagopa: call from %s refused (not in pagopa.allowed_ips)", rq->client_ip);
    se.fault = PAA_SYSTEM_ERROR;
    snprintf(se.description, sizeof se.description, "caller not allowed");
    sanp_encode_soap_fault(c.a, &se, &c.xml, &c.len);
    c.status = 403;
    answer(rs, &c);
    return ERR_OK;
  }
  sanp_limits lim = {(size_t)config_int("pagopa", "max_request_bytes"), SANP_DEFAULT_MAX_DEPTH};
  if (sanp_decode(c.a, rq_header(rq, "SOAPAction"), rq->body, rq->body_len, &lim, &c.req, &se) != ERR_OK) {
    if (se.op == SANP_OP_NONE) { /* SOAP 1.1: a Fault, HTTP 500 */
      err_cause("pagopa: request without a known operation (%s): %s",
                se.fault == PAA_SINTASSI_XSD ? "XSD" : "extra-XSD", se.description);
      sanp_encode_soap_fault(c.a, &se, &c.xml, &c.len);
      c.status = 500;
    } else {
      c.req.op = se.op;
      pa_ko_fault(&c, se.fault, se.description);
    }
    answer(rs, &c);
    return ERR_OK;
  }
  /* the dispatcher opens a read snapshot for GETs only: the Nodo POSTs.
   * One snapshot for the reads of the request (a db_tx for the writes of
   * paSendRT / paDemandPaymentNotice ends it first). */
  db_snapshot_begin(c.d);
  if (check_caller(&c) == ERR_OK) {
    switch (c.req.op) {
      case SANP_OP_VERIFY:
        pa_verify(&c);
        break;
      case SANP_OP_GET_PAYMENT:
      case SANP_OP_GET_PAYMENT_V2:
        pa_get_payment(&c);
        break;
      case SANP_OP_SEND_RT:
      case SANP_OP_SEND_RT_V2:
        pa_send_rt(&c);
        break;
      case SANP_OP_DEMAND:
        pa_demand(&c);
        break;
      default:
        pa_ko_fault(&c, PAA_SYSTEM_ERROR, "operation not supported");
        break;
    }
  }
  answer(rs, &c);
  return ERR_OK;
}
