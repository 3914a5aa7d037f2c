// Kubedeck entry point: subcommands (`kubedeck sandbox`, ...) and --help/--version run headless;
// everything else opens the main window.
#include "cli/dispatch.h"
#include "ui/gui.h"

int main(int argc, char **argv) {
    if (kd::cli::isHeadless(argc, argv))
        return kd::cli::run(argc, argv);
    return kd::ui::runGui(argc, argv);
}
