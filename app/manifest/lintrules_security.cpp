// Security-context rules: root users, privileged containers and privilege escalation. A
// container's securityContext overrides the pod's, so both are read.

#include "manifest/lintrules_util.h"

namespace kd::manifest::detail {

namespace {

// A setting from the container's securityContext, else the pod's, with where it was found.
struct Setting {
    const Json *value = nullptr;
    std::string path;
    bool fromPod = false;
};

Setting effective(const PodTemplate &templ, const ContainerRef &c, const char *name) {
    if (const Json *v = at(c.json, {"securityContext", name}))
        return {v, join(join(c.path, "securityContext"), name), false};
    if (const Json *v = at(templ.spec, {"securityContext", name}))
        return {v, join(join(templ.specPath, "securityContext"), name), true};
    return {};
}

void checkRoot(const LintObject &object, const PodTemplate &templ, const ContainerRef &c,
               FindingSink &sink) {
    const std::string *os = asStr(at(templ.spec, {"os", "name"}));
    if (os && *os == "windows")
        return; // runAsUser and runAsNonRoot are Linux settings
    const Setting user = effective(templ, c, "runAsUser");
    const Setting nonRoot = effective(templ, c, "runAsNonRoot");
    const std::string who = "container " + ticked(c.name);
    const std::string where = user.fromPod ? " (from the pod's securityContext)" : "";
    const auto uid = asInt(user.value);
    if (uid && *uid == 0) {
        sink.reportValue(object, "run-as-non-root", user.path,
                         who + " runs as root: runAsUser is 0" + where, c.name);
        return;
    }
    if (isTrue(nonRoot.value) || (uid && *uid > 0))
        return;
    if (nonRoot.value && nonRoot.value->is_boolean()) {
        sink.reportValue(object, "run-as-non-root", nonRoot.path,
                         who + " sets runAsNonRoot: false and no non-zero runAsUser" +
                             (nonRoot.fromPod ? " (in the pod's securityContext)" : ""),
                         c.name);
        return;
    }
    sink.report(object, "run-as-non-root", join(join(c.path, "securityContext"), "runAsNonRoot"),
                who + " may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is "
                      "set, so the image's USER decides",
                c.name);
}

bool addsSysAdmin(const ContainerRef &c) {
    const Json *add = at(c.json, {"securityContext", "capabilities", "add"});
    if (add == nullptr || !add->is_array())
        return false;
    for (const Json &cap : *add) {
        const std::string *name = asStr(&cap);
        if (name && (*name == "SYS_ADMIN" || *name == "CAP_SYS_ADMIN"))
            return true;
    }
    return false;
}

void checkPrivileges(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const std::string who = "container " + ticked(c.name);
    const std::string contextPath = join(c.path, "securityContext");
    const Json *privileged = at(c.json, {"securityContext", "privileged"});
    if (isTrue(privileged)) {
        // Privileged implies escalation; one finding says it all.
        sink.reportValue(object, "privileged-container", join(contextPath, "privileged"),
                         who + " is privileged: it can use every device on the node", c.name);
        return;
    }
    const std::string escalationPath = join(contextPath, "allowPrivilegeEscalation");
    const Json *escalation = at(c.json, {"securityContext", "allowPrivilegeEscalation"});
    if (escalation && escalation->is_boolean() && !escalation->get<bool>())
        return;
    Finding *f =
        escalation
            ? sink.reportValue(object, "privilege-escalation", escalationPath,
                               who + " sets allowPrivilegeEscalation: " + scalarText(*escalation),
                               c.name)
            : sink.report(object, "privilege-escalation", escalationPath,
                          who + " does not set allowPrivilegeEscalation: false (it "
                                "defaults to true)",
                          c.name);
    // The API server refuses allowPrivilegeEscalation: false next to CAP_SYS_ADMIN.
    if (!addsSysAdmin(c))
        attachFix(f, object, "Set allowPrivilegeEscalation: false",
                  {{contextPath, "allowPrivilegeEscalation", "false"}});
}

} // namespace

void checkSecurityRules(const LintObject &object, const PodTemplate &templ,
                        const Containers &containers, FindingSink &sink) {
    for (const ContainerRef &c : containers) {
        checkRoot(object, templ, c, sink);
        checkPrivileges(object, c, sink);
    }
}

} // namespace kd::manifest::detail
