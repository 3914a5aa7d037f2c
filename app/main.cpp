// Kubedeck entry point: parse the command line and hand over to a subcommand.
#include "cli/dispatch.h"

int main(int argc, char **argv) {
    return kd::cli::run(argc, argv);
}
