/* The catalogue of services: import and edit a service document (parsed
 * and checked by form.c, then checked against the Ente's categories and
 * the offices), reads. Every change is audited in its transaction. */
#include <jansson.h>
#include <string.h>

#include "core/clock.h"
#include "domain/cases/cases.h"
#include "domain/debt/debt.h"
#include "domain/ente/ente.h"
#include "domain/services/services_store.h"

/* The document's references to the Ente's data: the category must be an
 * active one of the Ente, the office must exist. */
static err_code resolve(db *d, arena *a, int64_t ente_id, const svc_def *def, service *s,
                        problems *pbs) {
  case_category cat;
  err_code rc = cases_category(d, a, ente_id, def->category, &cat);
  if (rc == ERR_NOT_FOUND) {
    problems_add(a, pbs, ERR_INVALID, "definition",
                 arena_printf(a, "category: \"%s\" non è una categoria attiva di pratiche "
                                 "dell'Ente (sportello cases category list)",
                              def->category));
    return ERR_INVALID;
  }
  if (rc != ERR_OK) return rc;
  s->working_days = def->working_days ? def->working_days : cat.working_days;
  s->office_id = 0;
  if (def->office) {
    office *offs;
    size_t n;
    if ((rc = office_list(d, a, &offs, &n)) != ERR_OK) return rc;
    for (size_t i = 0; i < n; i++)
      if (strcmp(offs[i].code, def->office) == 0) s->office_id = offs[i].id;
    if (!s->office_id) {
      problems_add(a, pbs, ERR_INVALID, "definition",
                   arena_printf(a, "office: l'ufficio \"%s\" non esiste", def->office));
      return ERR_INVALID;
    }
  }
  /* the payment's revenue must be one of the Ente's revenue types */
  if (def->payment && strcmp(def->payment, "none") != 0) {
    debt_revenue rev;
    rc = def->revenue ? debt_revenue_by_code(d, a, ente_id, def->revenue, &rev) : ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND) {
      problems_add(a, pbs, ERR_INVALID, "definition",
                   arena_printf(a, "payment.revenue: \"%s\" non è un'entrata dell'Ente "
                                   "(sportello revenue list)",
                                def->revenue ? def->revenue : ""));
      return ERR_INVALID;
    }
    if (rc != ERR_OK) return rc;
  }
  s->ente_id = ente_id;
  s->code = def->code;
  s->name = def->name;
  s->description = def->description;
  s->category_code = def->category;
  s->payment = def->payment;
  s->revenue_code = def->revenue;
  s->amount_cents = def->amount_cents;
  s->amount_field = def->amount_field;
  s->stamp_duty = def->stamp_duty;
  s->appointment = def->appointment;
  s->protocolled = def->protocolled;
  return ERR_OK;
}

static json_t *audit_json(const service *s) {
  return json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:i, s:i, s:i}", "code", s->code, "name",
                   s->name, "category", s->category_code, "office_id", (json_int_t)s->office_id,
                   "payment", s->payment, "amount_cents", (json_int_t)s->amount_cents,
                   "stamp_duty", s->stamp_duty, "working_days", s->working_days, "protocolled",
                   s->protocolled);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, id; /* id: update this one (0: import by code) */
  const svc_def *def;
  const char *canonical;
  problems *pbs;
  int64_t out_id;
  int created;
} save_tx;

static err_code save_fn(db *d, void *ctx) {
  save_tx *t = ctx;
  t->created = 0;
  service s = {0};
  err_code rc = resolve(d, t->a, t->ente_id, t->def, &s, t->pbs);
  if (rc != ERR_OK) return rc;
  s.definition = (char *)t->canonical;
  s.updated_at = clock_now();
  service old;
  if (t->id) {
    rc = sst_get(d, t->a, t->ente_id, t->id, &old);
    if (rc != ERR_OK) return rc;
    if (strcmp(old.code, s.code) != 0) {
      problems_add(t->a, t->pbs, ERR_INVALID, "definition",
                   arena_printf(t->a, "code: il codice del servizio non si cambia (\"%s\")",
                                old.code));
      return ERR_INVALID;
    }
  } else {
    rc = sst_get_by_code(d, t->a, t->ente_id, s.code, &old);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  }
  if (rc == ERR_NOT_FOUND) {
    s.created_at = s.updated_at;
    if ((rc = sst_insert(d, &s, &s.id)) != ERR_OK) return rc;
    t->created = 1;
    t->out_id = s.id;
    return audit_write_json(d, t->who, t->ente_id, "service.create", "service", s.id, NULL,
                            audit_json(&s));
  }
  s.id = old.id;
  if ((rc = sst_update(d, &s)) != ERR_OK) return rc;
  t->out_id = s.id;
  return audit_write_json(d, t->who, t->ente_id, "service.update", "service", s.id,
                          audit_json(&old), audit_json(&s));
}

static err_code save(db *d, arena *a, const actor *who, int64_t ente_id, int64_t id,
                     const char *json, size_t len, int64_t *out_id, int *created, problems *pbs) {
  svc_def def;
  err_code rc = svc_def_parse(a, json, len, &def, pbs);
  if (rc != ERR_OK) return rc;
  const char *canon = svc_def_canonical(a, json, len);
  if (!canon) return ERR_INTERNAL;
  save_tx t = {a, who, ente_id, id, &def, canon, pbs, 0, 0};
  rc = db_tx(d, save_fn, &t);
  if (rc == ERR_OK) {
    if (out_id) *out_id = t.out_id;
    if (created) *created = t.created;
  }
  return rc;
}

err_code services_import(db *d, arena *a, const actor *who, int64_t ente_id, const char *json,
                         size_t len, int64_t *id, int *created, problems *pbs) {
  return save(d, a, who, ente_id, 0, json, len, id, created, pbs);
}

err_code services_update(db *d, arena *a, const actor *who, int64_t ente_id, int64_t id,
                         const char *json, size_t len, problems *pbs) {
  if (id <= 0) return ERR_NOT_FOUND;
  return save(d, a, who, ente_id, id, json, len, NULL, NULL, pbs);
}

err_code services_list(db *d, arena *a, int64_t ente_id, int active_only, service **out,
                       size_t *n) {
  return sst_list(d, a, ente_id, active_only, out, n);
}

err_code services_get(db *d, arena *a, int64_t ente_id, int64_t id, service *out) {
  return sst_get(d, a, ente_id, id, out);
}

err_code services_get_by_code(db *d, arena *a, int64_t ente_id, const char *code, service *out) {
  if (!code) return ERR_NOT_FOUND;
  return sst_get_by_code(d, a, ente_id, code, out);
}

err_code services_def(arena *a, const service *s, svc_def *out) {
  problems pbs = {0};
  err_code rc = svc_def_parse(a, s->definition, strlen(s->definition), out, &pbs);
  /* a stored document was checked at import: failing now is a bug */
  return rc == ERR_OK ? ERR_OK : ERR_INTERNAL;
}
