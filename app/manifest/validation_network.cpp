// Services (pkg/apis/core/validation ValidateService) and Ingresses
// (pkg/apis/networking/validation, networking.k8s.io/v1).

#include "manifest/validation_checks.h"

#include <set>

namespace kd::manifest::detail {

namespace {

const std::string kEmpty;
const Json kEmptyObject = Json::object();

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

const Json &objectOr(const Json *o) {
    return o ? *o : kEmptyObject;
}

bool isHeadless(Checks &c, const Json &spec) {
    if (stringOr(c.string(spec, "clusterIP", "spec.clusterIP")) == "None")
        return true;
    const Json *ips = member(spec, "clusterIPs");
    return ips && ips->is_array() && ips->size() == 1 && (*ips)[0].is_string() &&
           (*ips)[0].get<std::string>() == "None";
}

void validateServicePort(Checks &c, const Json &port, bool requireName,
                         std::set<std::string> &names, const std::string &path) {
    const std::string namePath = child(path, "name");
    const std::string &name = stringOr(c.string(port, "name", namePath));
    if (requireName && name.empty()) {
        c.required(namePath);
    } else if (!name.empty()) {
        for (const std::string &msg : isDNS1123Label(name))
            c.invalid(namePath, Value::str(name), msg);
        if (!names.insert(name).second)
            c.duplicate(namePath, Value::str(name));
    }
    const std::string portPath = child(path, "port");
    const long long number = c.int32(port, "port", portPath).value_or(0);
    for (const std::string &msg : isValidPortNum(number))
        c.invalid(portPath, Value::num(number), msg);
    const std::string protocolPath = child(path, "protocol");
    const std::string &protocol = stringOr(c.string(port, "protocol", protocolPath));
    if (!protocol.empty() && protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
        c.notSupported(protocolPath, Value::named(protocol), {"SCTP", "TCP", "UDP"});
    // An unset (0 or "") targetPort is defaulted to the port.
    const std::string targetPath = child(path, "targetPort");
    IntOrString target = c.intOrString(port, "targetPort", targetPath).value_or(IntOrString{});
    if ((!target.isString && target.intVal == 0) || (target.isString && target.strVal.empty()))
        target = IntOrString{false, number, {}};
    validatePortNumOrName(c, target, targetPath);
    if (const std::string *appProtocol =
            c.string(port, "appProtocol", child(path, "appProtocol"))) {
        for (const std::string &msg : isQualifiedName(*appProtocol))
            c.invalid(child(path, "appProtocol"), Value::str(*appProtocol), msg);
    }
}

bool isIPAddress(std::string_view host) {
    if (host.find(':') != std::string_view::npos)
        return true; // only IPv6 literals contain ':' (a port is not allowed here either)
    // IPv4, sloppy: four dot-separated decimal numbers up to 255 (leading zeros allowed).
    int parts = 0;
    std::size_t i = 0;
    while (i <= host.size()) {
        std::size_t digits = 0;
        int value = 0;
        while (i < host.size() && host[i] >= '0' && host[i] <= '9' && digits < 4) {
            value = value * 10 + (host[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return false;
        ++parts;
        if (i == host.size())
            return parts == 4;
        if (host[i] != '.')
            return false;
        ++i;
    }
    return false;
}

void validateIngressBackend(Checks &c, const Json &backend, const std::string &path) {
    const Json *resource = c.object(backend, "resource", child(path, "resource"));
    const Json *service = c.object(backend, "service", child(path, "service"));
    if (resource && service) {
        c.invalid(path, Value::str(""), "cannot set both resource and service backends");
        return;
    }
    if (resource) {
        const std::string resourcePath = child(path, "resource");
        if (const std::string *group =
                c.string(*resource, "apiGroup", child(resourcePath, "apiGroup"))) {
            for (const std::string &msg : isDNS1123Subdomain(*group))
                c.invalid(child(resourcePath, "apiGroup"), Value::str(*group), msg);
        }
        for (const char *field : {"kind", "name"}) {
            const std::string fieldPath = child(resourcePath, field);
            const std::string &value = stringOr(c.string(*resource, field, fieldPath));
            if (value.empty()) {
                c.required(fieldPath, std::string(field) + " is required");
                continue;
            }
            for (const std::string &msg : isValidPathSegmentName(value))
                c.invalid(fieldPath, Value::str(value), msg);
        }
        return;
    }
    if (service == nullptr) {
        c.invalid(path, Value::str(""), "resource or service backend is required");
        return;
    }
    const std::string namePath = child(path, "service.name");
    const std::string &name = stringOr(c.string(*service, "name", namePath));
    if (name.empty()) {
        c.required(namePath);
    } else {
        for (const std::string &msg : validateName(NameRule::DNS1035Label, name, false))
            c.invalid(namePath, Value::str(name), msg);
    }
    const Json &port = objectOr(c.object(*service, "port", child(path, "service.port")));
    const std::string &portName =
        stringOr(c.string(port, "name", child(path, "service.port.name")));
    const long long portNumber =
        c.int32(port, "number", child(path, "service.port.number")).value_or(0);
    if (!portName.empty() && portNumber != 0) {
        c.invalid(path, Value::str(""), "cannot set both port name & port number");
    } else if (!portName.empty()) {
        for (const std::string &msg : isValidPortName(portName))
            c.invalid(child(path, "service.port.name"), Value::str(portName), msg);
    } else if (portNumber != 0) {
        for (const std::string &msg : isValidPortNum(portNumber))
            c.invalid(child(path, "service.port.number"), Value::num(portNumber), msg);
    } else {
        c.required(path, "port name or number is required");
    }
}

void validateHTTPIngressPath(Checks &c, const Json &item, const std::string &path) {
    const std::string typePath = child(path, "pathType");
    const std::string *pathType = c.string(item, "pathType", typePath);
    if (pathType == nullptr) {
        c.required(typePath, "pathType must be specified");
        return;
    }
    const std::string pathPath = child(path, "path");
    const std::string &value = stringOr(c.string(item, "path", pathPath));
    if (*pathType == "Exact" || *pathType == "Prefix") {
        if (value.empty() || value[0] != '/')
            c.invalid(pathPath, Value::str(value), "must be an absolute path");
        if (!value.empty()) {
            for (std::string_view bad : {"//", "/./", "/../", "%2f", "%2F"}) {
                if (value.find(bad) != std::string::npos)
                    c.invalid(pathPath, Value::str(value),
                              "must not contain '" + std::string(bad) + "'");
            }
            for (std::string_view bad : {"/..", "/."}) {
                if (value.size() >= bad.size() &&
                    value.compare(value.size() - bad.size(), bad.size(), bad) == 0)
                    c.invalid(pathPath, Value::str(value),
                              "cannot end with '" + std::string(bad) + "'");
            }
        }
    } else if (*pathType == "ImplementationSpecific") {
        if (!value.empty() && value[0] != '/')
            c.invalid(pathPath, Value::str(value), "must be an absolute path");
    } else {
        c.notSupported(typePath, Value::named(*pathType),
                       {"Exact", "ImplementationSpecific", "Prefix"});
    }
    validateIngressBackend(c, objectOr(c.object(item, "backend", child(path, "backend"))),
                           child(path, "backend"));
}

void validateIngressRule(Checks &c, const Json &rule, const std::string &path) {
    const std::string hostPath = child(path, "host");
    const std::string &host = stringOr(c.string(rule, "host", hostPath));
    if (!host.empty()) {
        if (isIPAddress(host))
            c.invalid(hostPath, Value::str(host), "must be a DNS name, not an IP address");
        const bool wildcard = host.find('*') != std::string::npos;
        for (const std::string &msg :
             wildcard ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host))
            c.invalid(hostPath, Value::str(host), msg);
    }
    const Json *http = c.object(rule, "http", child(path, "http"));
    if (http == nullptr)
        return;
    const std::string pathsPath = child(path, "http.paths");
    const Json *paths = c.array(*http, "paths", pathsPath);
    if (paths == nullptr || paths->empty()) {
        c.required(pathsPath);
        return;
    }
    for (std::size_t i = 0; i < paths->size(); ++i) {
        if (const Json *item = c.asObject((*paths)[i], index(pathsPath, i)))
            validateHTTPIngressPath(c, *item, index(pathsPath, i));
    }
}

} // namespace

void validateService(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    std::string type = stringOr(c.string(spec, "type", "spec.type"));
    if (type.empty())
        type = "ClusterIP";
    const bool headless = isHeadless(c, spec);
    const Json *ports = c.array(spec, "ports", "spec.ports");
    const std::size_t portCount = ports ? ports->size() : 0;
    if (portCount == 0 && !headless && type != "ExternalName")
        c.required("spec.ports");
    std::set<std::string> names;
    for (std::size_t i = 0; i < portCount; ++i) {
        if (const Json *port = c.asObject((*ports)[i], index("spec.ports", i)))
            validateServicePort(c, *port, portCount > 1, names, index("spec.ports", i));
    }
    validateLabels(c, c.stringMap(spec, "selector", "spec.selector"), "spec.selector");
    const std::string &affinity =
        stringOr(c.string(spec, "sessionAffinity", "spec.sessionAffinity"));
    if (!affinity.empty() && affinity != "ClientIP" && affinity != "None")
        c.notSupported("spec.sessionAffinity", Value::named(affinity), {"ClientIP", "None"});
    if (type != "ClusterIP" && type != "NodePort" && type != "LoadBalancer" &&
        type != "ExternalName")
        c.notSupported("spec.type", Value::named(type),
                       {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"});
    if (type == "ClusterIP") {
        for (std::size_t i = 0; i < portCount; ++i) {
            const Json *port = (*ports)[i].is_object() ? &(*ports)[i] : nullptr;
            const Json *nodePort = port ? member(*port, "nodePort") : nullptr;
            if (nodePort && nodePort->is_number_integer() && nodePort->get<long long>() != 0)
                c.forbidden(child(index("spec.ports", i), "nodePort"),
                            "may not be used when `type` is 'ClusterIP'");
        }
    }
    if (type == "ExternalName") {
        // The name (a CNAME) may end in a dot to mark it fully qualified.
        std::string cname = stringOr(c.string(spec, "externalName", "spec.externalName"));
        if (!cname.empty() && cname.back() == '.')
            cname.pop_back();
        if (cname.empty()) {
            c.required("spec.externalName");
        } else {
            for (const std::string &msg : isDNS1123Subdomain(cname))
                c.invalid("spec.externalName", Value::str(cname), msg);
        }
    }
}

void validateIngress(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const Json *rules = c.array(spec, "rules", "spec.rules");
    const Json *defaultBackend = c.object(spec, "defaultBackend", "spec.defaultBackend");
    if ((rules == nullptr || rules->empty()) && defaultBackend == nullptr)
        c.invalid("spec", rules ? Value::json(OrderedJson::array()) : Value::null(),
                  "either `defaultBackend` or `rules` must be specified");
    if (defaultBackend)
        validateIngressBackend(c, *defaultBackend, "spec.defaultBackend");
    if (rules) {
        for (std::size_t i = 0; i < rules->size(); ++i) {
            if (const Json *rule = c.asObject((*rules)[i], index("spec.rules", i)))
                validateIngressRule(c, *rule, index("spec.rules", i));
        }
    }
    if (const std::string *className =
            c.string(spec, "ingressClassName", "spec.ingressClassName")) {
        for (const std::string &msg : isDNS1123Subdomain(*className))
            c.invalid("spec.ingressClassName", Value::str(*className), msg);
    }
}

} // namespace kd::manifest::detail
