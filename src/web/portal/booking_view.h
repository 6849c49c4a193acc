/* Pieces the booking pages share (public booking, change by link, staff
 * booking for a caller): the week of slots as radio buttons grouped per
 * day (no JavaScript, arrow keys move between times), the week navigation,
 * and the person's fields. */
#ifndef SP_BOOKING_VIEW_H
#define SP_BOOKING_VIEW_H
#include "domain/agenda/agenda.h"
#include "web/web.h"

typedef struct {
  const ag_topic *topic;
  int video;                /* -1 any, 0 at the counter, 1 by video */
  civil_date monday;        /* the week shown */
  int staff;                /* staff booking: no minimum notice */
  const char *selected;     /* the chosen slot's value, kept on re-render */
  /* link to another week (YYYY-Www) of the same page */
  const char *(*week_href)(request *rq, const void *ctx, const char *week);
  const void *ctx;
} booking_week;

/* Monday of ?settimana= (or of the current week when absent or invalid). */
civil_date booking_week_param(request *rq);
/* Writes the week navigation and the fieldset "start" with the week's
 * slots; counters and closures come from the database. */
err_code booking_week_write(request *rq, html *h, const booking_week *w);
/* "counter-video-start" of a slot radio; 0 ok, -1 malformed. */
int booking_slot_parse(const char *v, int64_t *counter, int *video, int64_t *start);
/* The person's fields (name, codice fiscale, e-mail, mobile, SMS consent,
 * reason, privacy consent), prefilled from the posted form. */
void booking_person_fields(request *rq, html *h, int staff);
/* The person's data from the posted form into b. */
void booking_person_read(request *rq, ag_booking *b);
/* The page frame of a public Ente page: no office navigation. */
err_code booking_page_info(request *rq, const char *title, page_info *p);

#endif
