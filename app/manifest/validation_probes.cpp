// Probes (liveness, readiness, startup) and their handlers: pkg/apis/core/validation
// validateProbe / validateHandler.

#include "manifest/validation_checks.h"

namespace kd::manifest::detail {

namespace {

const std::string kEmpty;

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

void validateHandler(Checks &c, const Json &probe, const std::string &path) {
    int handlers = 0;
    for (const char *type : {"exec", "httpGet", "tcpSocket", "grpc"}) {
        const Json *action = member(probe, type);
        if (action == nullptr)
            continue;
        const std::string actionPath = child(path, type);
        if (handlers > 0) {
            c.forbidden(actionPath, "may not specify more than 1 handler type");
            continue;
        }
        ++handlers;
        const Json *obj = c.asObject(*action, actionPath);
        if (obj == nullptr)
            continue;
        const std::string_view t = type;
        if (t == "exec") {
            const Json *command = c.array(*obj, "command", child(actionPath, "command"));
            if (command == nullptr || command->empty())
                c.required(child(actionPath, "command"));
        } else if (t == "httpGet" || t == "tcpSocket") {
            const std::string portPath = child(actionPath, "port");
            validatePortNumOrName(c, c.intOrString(*obj, "port", portPath).value_or(IntOrString{}),
                                  portPath);
            if (t == "tcpSocket")
                continue;
            const std::string schemePath = child(actionPath, "scheme");
            const std::string &scheme = stringOr(c.string(*obj, "scheme", schemePath));
            if (!scheme.empty() && scheme != "HTTP" && scheme != "HTTPS")
                c.notSupported(schemePath, Value::named(scheme), {"HTTP", "HTTPS"});
            const std::string headersPath = child(actionPath, "httpHeaders");
            if (const Json *headers = c.array(*obj, "httpHeaders", headersPath)) {
                for (std::size_t i = 0; i < headers->size(); ++i) {
                    const Json *header = c.asObject((*headers)[i], index(headersPath, i));
                    if (header == nullptr)
                        continue;
                    const std::string &name =
                        stringOr(c.string(*header, "name", child(index(headersPath, i), "name")));
                    for (const std::string &msg : isHTTPHeaderName(name))
                        c.invalid(headersPath, Value::str(name), msg);
                }
            }
        } else {
            const std::string portPath = child(actionPath, "port");
            const long long port = c.int32(*obj, "port", portPath).value_or(0);
            for (const std::string &msg : isValidPortNum(port))
                c.invalid(portPath, Value::num(port), msg);
        }
    }
    if (handlers == 0)
        c.required(path, "must specify a handler type");
}

} // namespace

void validateProbe(Checks &c, const Json &ctr, const char *name, ProbeKind kind,
                   const std::string &path) {
    const Json *probe = c.object(ctr, name, path);
    if (probe == nullptr)
        return;
    validateHandler(c, *probe, path);
    long long success = 0;
    for (const char *field : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                              "successThreshold", "failureThreshold"}) {
        const auto v = c.int32(*probe, field, child(path, field));
        if (!v)
            continue;
        validateNonnegative(c, *v, child(path, field));
        if (std::string_view(field) == "successThreshold")
            success = *v;
    }
    const std::string gracePath = child(path, "terminationGracePeriodSeconds");
    const auto grace = c.int64(*probe, "terminationGracePeriodSeconds", gracePath);
    if (grace && *grace <= 0)
        c.invalid(gracePath, Value::num(*grace), "must be greater than 0");
    if (kind == ProbeKind::Readiness) {
        if (grace)
            c.invalid(gracePath, Value::num(*grace), "must not be set for readinessProbes");
        return;
    }
    // 0 is defaulted to 1, and liveness and startup probes allow nothing else.
    if (success != 0 && success != 1)
        c.invalid(child(path, "successThreshold"), Value::num(success), "must be 1");
}

void validatePortNumOrName(Checks &c, const IntOrString &port, const std::string &path) {
    if (port.isString) {
        for (const std::string &msg : isValidPortName(port.strVal))
            c.invalid(path, Value::str(port.strVal), msg);
    } else {
        for (const std::string &msg : isValidPortNum(port.intVal))
            c.invalid(path, Value::num(port.intVal), msg);
    }
}

} // namespace kd::manifest::detail
