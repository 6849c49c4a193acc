/* Tenancy: the concessionaire's Enti (Comuni), regions and offices, users
 * and their roles, and which Enti each user is enabled on. */
#ifndef SP_ENTE_H
#define SP_ENTE_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "core/problems.h"
#include "db/db.h"
#include "domain/audit/audit.h"

typedef enum {
  ROLE_NONE = 0,
  ROLE_ADMIN = 1,              /* configures everything, sees every Ente */
  ROLE_SUPERVISOR_CENTRAL = 2, /* summaries across offices */
  ROLE_SUPERVISOR_REGIONAL = 3,
  ROLE_OFFICE_MANAGER = 4,
  ROLE_OPERATOR = 5,
  ROLE_ENTE_STAFF = 6,
  ROLE_INTERMEDIARY = 7,       /* commercialista, CAF: the assistance channel (seed 002) */
  ROLE__COUNT
} role;

/* Bit for a role, to declare the roles a route accepts. */
#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL 0xFEu
#define ROLES_BACKOFFICE \
  (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_SUPERVISOR_CENTRAL) | ROLE_BIT(ROLE_SUPERVISOR_REGIONAL) | \
   ROLE_BIT(ROLE_OFFICE_MANAGER) | ROLE_BIT(ROLE_OPERATOR))

const char *role_slug(role r);     /* "admin", "supervisor_central", ... */
const char *role_label_it(role r); /* "Amministratore", ... */
role role_parse(const char *slug); /* ROLE_NONE if unknown */

typedef struct {
  int64_t id;
  char *slug;             /* url segment, [a-z0-9-]{2,40} */
  char *name;             /* "Comune di Borgo Fittizio" */
  char *fiscal_code;      /* 11 digits: the pagoPA creditor id */
  int64_t population;
  char *segregation_code; /* 2 digits, pagoPA */
  char *mail_istanze, *mail_pec, *mail_info;
  char *support_phone;
  char *patron_day;       /* "MM-DD" or NULL */
} ente;

typedef struct {
  int64_t id;
  char *name;
} region;

typedef struct {
  int64_t id;
  int64_t region_id;
  char *region_name; /* filled by reads */
  char *code;        /* short unique code, e.g. "NORD-01" */
  char *name;
  char *city;
} office;

typedef struct {
  int64_t id;
  char *username; /* [a-z0-9._-]{3,64} */
  char *full_name;
  char *email;
  role role;
  int64_t region_id; /* regional supervisor; 0 otherwise */
  int64_t office_id; /* office manager / operator; 0 otherwise */
  int active;
} user;

/* The columns of a user row, for the stores that read users (the ente
 * area's and the auth area's session lookup, which joins app_user as u),
 * and their F_* spec for a struct S holding the user in member m: one
 * mapping of the user columns for the whole code base. */
#define USER_SQL_COLS "u.id, u.username, u.full_name, u.email, u.role, u.region_id, u.office_id, u.active"
#define USER_FIELDS(S, m)                                                                     \
  F_INT(S, m.id), F_DUP(S, m.username), F_DUP(S, m.full_name), F_DUP(S, m.email),           \
      F_FN(S, m.role, user_role_col), F_INT(S, m.region_id), F_INT(S, m.office_id), \
      F_I32(S, m.active)
/* db_col_fn: a role slug column into a role */
void user_role_col(db_stmt *st, int col, arena *a, void *dst);

/* Every create/update function normalises and validates its input,
 * collecting EVERY problem (field + Italian message, items in arena a) into
 * pbs (emptied first; may be NULL), checks references and duplicates in
 * the same transaction, and writes (with its audit row) only when there is
 * none. Returns ERR_OK, ERR_INVALID (some field is invalid, maybe also
 * duplicates) or ERR_CONFLICT (only duplicates: slug / fiscal code / office
 * code / username). The *_validate variants run the same checks and write
 * nothing: a form with problems of its own calls them to report theirs
 * too. */
err_code ente_create(db *d, arena *a, const ente *in, const actor *who, int64_t *id_out,
                     problems *pbs);
err_code ente_validate(db *d, arena *a, const ente *in, problems *pbs);
err_code ente_list(db *d, arena *a, ente **out, size_t *n);
err_code ente_get(db *d, arena *a, int64_t id, ente *out);
err_code ente_by_slug(db *d, arena *a, const char *slug, ente *out);
/* The same queued in a batch (db.h): *found 0 when there is no such Ente. */
void ente_by_slug_queue(db_batch *b, const char *slug, ente *out, int *found);
/* The Ente with this codice fiscale (exactly as stored: 11 digits), in one
 * statement (the SANP station looks idPA up on every call). */
err_code ente_by_fiscal_code(db *d, arena *a, const char *cf, ente *out);
/* The Ente named by its slug or by its codice fiscale (11 digits; spaces
 * and surrounding blanks ignored): the convention wherever an Ente is
 * named (--ente on the command line, ?ente= in the API, a column of an
 * import file). ERR_NOT_FOUND when neither matches. */
err_code ente_resolve(db *d, arena *a, const char *slug_or_fiscal_code, ente *out);

err_code region_create(db *d, arena *a, const char *name, const actor *who, int64_t *id_out,
                       problems *pbs);
err_code region_list(db *d, arena *a, region **out, size_t *n);
err_code region_by_name(db *d, arena *a, const char *name, region *out);

err_code office_create(db *d, arena *a, const office *in, const actor *who, int64_t *id_out,
                       problems *pbs);
err_code office_validate(db *d, arena *a, const office *in, problems *pbs);
err_code office_list(db *d, arena *a, office **out, size_t *n);

/* password NULL: no local password (the user cannot sign in with one). */
err_code user_create(db *d, arena *a, const user *in, const char *password,
                     const int64_t *ente_ids, size_t n_ente, const actor *who, int64_t *id_out,
                     problems *pbs);
err_code user_validate(db *d, arena *a, const user *in, const char *password,
                       const int64_t *ente_ids, size_t n_ente, problems *pbs);
err_code user_list(db *d, arena *a, user **out, size_t *n);
err_code user_get(db *d, arena *a, int64_t id, user *out);
err_code user_by_username(db *d, arena *a, const char *username, user *out);
/* The one normalisation of a typed username (trimmed, lower case), used by
 * sign-in and its throttle alike; NULL for NULL. */
char *user_username_norm(arena *a, const char *s);
/* Passwords: at least 10 characters; stored as argon2id (libsodium).
 * user_password_check only checks (ERR_INVALID with the problem). A new
 * password ends every open session of the user (same transaction; the
 * "user.passwd" audit row says how many). */
err_code user_password_check(arena *a, const char *password, problems *pbs);
err_code user_set_password(db *d, arena *a, int64_t user_id, const char *password,
                           const actor *who, problems *pbs);
/* Enables (active=1) or disables a user; disabled users cannot sign in.
 * Both end every open session of the user in the same transaction (the
 * audit row says how many), so re-enabling never brings old sessions back.
 * ERR_NOT_FOUND for an unknown id. New users are always created active
 * (in->active is ignored by user_create). */
err_code user_set_active(db *d, int64_t user_id, int active, const actor *who);
/* Replaces the Enti the user is enabled on with ente_ids (duplicates
 * ignored), in one transaction with a "user.entes" audit row holding the
 * sets before and after. ERR_NOT_FOUND for an unknown user; ERR_INVALID
 * (field "ente_ids") for an unknown Ente, too many Enti, or Ente staff left
 * without any Ente. */
err_code user_set_entes(db *d, arena *a, int64_t user_id, const int64_t *ente_ids,
                        size_t n_ente, const actor *who, problems *pbs);
/* ERR_UNAUTHORIZED for unknown user, wrong password or inactive user (same
 * answer for all three, and the same time spent). */
err_code user_authenticate(db *d, arena *a, const char *username, const char *password,
                           user *out);
/* Enti the user may see: every Ente for ROLE_ADMIN, else those enabled. */
err_code user_entes(db *d, arena *a, const user *u, ente **out, size_t *n);
/* ERR_OK if u may see ente_id, ERR_NOT_FOUND otherwise. */
err_code user_check_ente(db *d, const user *u, int64_t ente_id);

#endif
