/* The payment notice of a debt position: what the office page and the bulk
 * campaign (`sportello notices generate`) print for an act. */
#ifndef SP_RENDER_PDF_NOTICE_ACT_H
#define SP_RENDER_PDF_NOTICE_ACT_H
#include "domain/debt/debt.h"
#include "render/pdf/notice.h"

/* Fills n (strings in a) with the notice of act x of Ente e: option_id 0
 * or the single payment's id: the payable options of the current
 * generation (the single payment and the installments; a lone installment
 * is printed as a single payment); an installment's id: that installment
 * alone. Amounts are what is still due on each option. cbill may be NULL;
 * postal (debt_act_postal) NULL or without an account: no bollettino.
 * ERR_NOTICE_PAID when nothing is left to pay, ERR_NOT_FOUND when the
 * option is not one of the act's current options. */
err_code notice_for_act(arena *a, const ente *e, const char *cbill, const debt_postal *postal,
                        const debt_act *x, int64_t option_id, notice_data *n);

/* The PDF of the notice of act x (option_id as notice_for_act) into out,
 * drawn by r (one per thread): the Ente's CBILL and the bollettino of the
 * act's revenue account (debt_act_postal) read from d. *nav gets the first
 * NAV printed (for the file name). ERR_NOT_FOUND / ERR_NOTICE_PAID as
 * notice_for_act; ERR_INTERNAL with the cause when the data cannot be
 * drawn. */
err_code notice_act_pdf(db *d, arena *a, notice_renderer *r, const ente *e, const debt_act *x,
                        int64_t option_id, strbuf *out, const char **nav);

#endif
