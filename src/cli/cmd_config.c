#include <stdio.h>
#include "cli/cli.h"
#include "core/config.h"

/* Prints the effective configuration; secrets are never shown. */
int cmd_config(cli_ctx *c) {
  if (cli_wants_help(c->argc, c->argv)) {
    puts("Uso: sportello config\n\nMostra la configurazione effettiva (valori predefiniti, file,\n"
         "variabili d'ambiente e opzioni), senza segreti.");
    return 0;
  }
  config_dump(stdout);
  return 0;
}
