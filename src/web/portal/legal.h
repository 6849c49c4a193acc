/* The legal pages of the footer (portal/legal*.c). */
#ifndef SP_WEB_LEGAL_H
#define SP_WEB_LEGAL_H
#include "web/web.h"

/* The accessibility statement in AgID's form, with the site's data from the
 * [site] section of the configuration. */
err_code legal_accessibility(request *rq, response *rs);

#endif
