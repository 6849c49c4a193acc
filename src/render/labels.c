#include "render/labels.h"
#include <string.h>

#define FAMILY(name, ...)                                      \
  static const form_option name##_items[] = {__VA_ARGS__};     \
  const code_family name = {name##_items, sizeof name##_items / sizeof name##_items[0]}

FAMILY(LABELS_TAXPAYER_KIND, {"person", "Persona fisica"}, {"company", "Impresa"});
FAMILY(LABELS_SEX, {"M", "Maschile"}, {"F", "Femminile"});
FAMILY(LABELS_ADDRESS_KIND, {"residenza", "Residenza"}, {"domicilio", "Domicilio"},
       {"sede_legale", "Sede legale"});
FAMILY(LABELS_CHANNEL, {"email", "E-mail"}, {"pec", "PEC"}, {"mobile", "Cellulare"});
FAMILY(LABELS_SOURCE, {"sportello", "Sportello"}, {"telefono", "Telefono"}, {"email", "E-mail"},
       {"pec", "PEC"}, {"web", "Sito web"}, {"api", "Servizio applicativo (API)"},
       {"import", "Importazione"});
FAMILY(LABELS_OUTBOX_STATE, {"queued", "in coda di invio"}, {"sending", "in invio"}, {"sent", "inviato"},
       {"failed", "invio non riuscito, nuovo tentativo in programma"}, {"dead", "invio non riuscito"});
FAMILY(LABELS_DELIVERY, {"accepted", "accettato dal gestore PEC"},
       {"delivered", "consegnato al destinatario"}, {"not_delivered", "non consegnato"});
FAMILY(LABELS_RECEIPT, {"accettazione", "Ricevuta di accettazione"},
       {"non-accettazione", "Avviso di non accettazione"}, {"presa-in-carico", "Ricevuta di presa in carico"},
       {"avvenuta-consegna", "Ricevuta di avvenuta consegna"},
       {"errore-consegna", "Avviso di mancata consegna"},
       {"preavviso-errore-consegna", "Preavviso di mancata consegna"},
       {"rilevazione-virus", "Avviso di rilevazione virus"}, {"bounce", "Notifica di mancato recapito"});

const char *code_label(const code_family *f, const char *code) {
  if (!code) return "";
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->items[i].value, code) == 0) return f->items[i].label;
  return code;
}
