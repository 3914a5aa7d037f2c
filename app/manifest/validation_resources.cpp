// Container resources: names, quantities, requests against limits, extended resources such as
// GPUs (pkg/apis/core/validation ValidateResourceRequirements and pkg/apis/core/helper).

#include "manifest/validation_checks.h"

#include "semantics/quantity.h"

#include <array>
#include <cstdlib>
#include <map>

namespace kd::manifest::detail {

namespace {

// resource.Format: the suffix family a quantity was written in; String() keeps it.
enum class Format { DecimalSI, BinarySI, DecimalExponent };

struct Quantity {
    std::int64_t milli = 0;
    Format format = Format::DecimalSI;
};

constexpr std::string_view kQuantityFormatError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

std::string_view trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::optional<Quantity> parseQuantity(const Json &value) {
    if (value.is_string()) {
        const std::string_view text = trim(value.get_ref<const std::string &>());
        const auto milli = semantics::parseMilli(text);
        if (!milli)
            return std::nullopt;
        std::size_t i = 0;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
            ++i;
        const std::string_view suffix = text.substr(i);
        Format format = Format::DecimalSI;
        if (suffix.size() == 2 && suffix[1] == 'i')
            format = Format::BinarySI;
        else if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E'))
            format = Format::DecimalExponent;
        return Quantity{*milli, format};
    }
    if (value.is_number()) {
        const auto milli = semantics::parseMilli(value);
        if (!milli)
            return std::nullopt;
        return Quantity{*milli, Format::DecimalSI};
    }
    return std::nullopt;
}

// Quantity.String(): the canonical form, e.g. "0.3" -> "300m", "1024Mi" -> "1Gi", "1000m" -> "1".
std::string canonical(const Quantity &q) {
    if (q.milli == 0)
        return "0";
    Format format = q.format;
    if (format == Format::BinarySI && (std::llabs(q.milli) < 1024 * 1000 || q.milli % 1000 != 0))
        format = Format::DecimalSI; // small or fractional values would need rounding in base 1024
    if (format == Format::BinarySI) {
        static constexpr std::array<const char *, 7> suffixes = {"",   "Ki", "Mi", "Gi",
                                                                 "Ti", "Pi", "Ei"};
        std::int64_t amount = q.milli / 1000;
        std::size_t exponent = 0;
        while (exponent + 1 < suffixes.size() && amount % 1024 == 0) {
            amount /= 1024;
            ++exponent;
        }
        return std::to_string(amount) + suffixes[exponent];
    }
    std::int64_t amount = q.milli;
    int exponent = -3;
    while (amount % 10 == 0) {
        amount /= 10;
        ++exponent;
    }
    // Keep the exponent a multiple of three (Go's % keeps the dividend's sign).
    switch (exponent % 3) {
    case 1:
    case -2:
        amount *= 10;
        exponent -= 1;
        break;
    case 2:
    case -1:
        amount *= 100;
        exponent -= 2;
        break;
    default:
        break;
    }
    std::string out = std::to_string(amount);
    if (format == Format::DecimalExponent)
        return exponent == 0 ? out : out + "e" + std::to_string(exponent);
    switch (exponent) {
    case -3:
        return out + "m";
    case 0:
        return out;
    case 3:
        return out + "k";
    case 6:
        return out + "M";
    case 9:
        return out + "G";
    case 12:
        return out + "T";
    case 15:
        return out + "P";
    default:
        return out + "E";
    }
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool isHugePage(std::string_view name) {
    return startsWith(name, "hugepages-");
}

// Native resources have no domain, or the kubernetes.io domain.
bool isNative(std::string_view name) {
    return name.find('/') == std::string_view::npos ||
           name.find("kubernetes.io/") != std::string_view::npos;
}

bool isExtended(std::string_view name) {
    if (isNative(name) || startsWith(name, "requests."))
        return false;
    return isQualifiedName("requests." + std::string(name)).empty();
}

bool isOvercommitAllowed(std::string_view name) {
    return isNative(name) && !isHugePage(name);
}

bool isStandardResourceName(std::string_view name) {
    static constexpr std::array<std::string_view, 20> standard = {"cpu",
                                                                  "memory",
                                                                  "ephemeral-storage",
                                                                  "storage",
                                                                  "requests.cpu",
                                                                  "requests.memory",
                                                                  "requests.storage",
                                                                  "requests.ephemeral-storage",
                                                                  "limits.cpu",
                                                                  "limits.memory",
                                                                  "limits.ephemeral-storage",
                                                                  "pods",
                                                                  "resourcequotas",
                                                                  "services",
                                                                  "replicationcontrollers",
                                                                  "secrets",
                                                                  "persistentvolumeclaims",
                                                                  "configmaps",
                                                                  "services.nodeports",
                                                                  "services.loadbalancers"};
    for (std::string_view s : standard) {
        if (s == name)
            return true;
    }
    return isHugePage(name) || startsWith(name, "requests.hugepages-") ||
           startsWith(name, "limits.hugepages-");
}

bool isStandardContainerResourceName(std::string_view name) {
    return name == "cpu" || name == "memory" || name == "ephemeral-storage" || isHugePage(name);
}

bool isIntegerResourceName(std::string_view name) {
    static constexpr std::array<std::string_view, 9> integers = {"pods",
                                                                 "services",
                                                                 "replicationcontrollers",
                                                                 "resourcequotas",
                                                                 "secrets",
                                                                 "configmaps",
                                                                 "persistentvolumeclaims",
                                                                 "services.nodeports",
                                                                 "services.loadbalancers"};
    for (std::string_view s : integers) {
        if (s == name)
            return true;
    }
    return isExtended(name);
}

void validateContainerResourceName(Checks &c, const std::string &name, const std::string &path) {
    const auto errs = isQualifiedName(name);
    for (const std::string &msg : errs)
        c.invalid(path, Value::named(name), msg);
    const bool hasDomain = name.find('/') != std::string::npos;
    if (errs.empty() && !hasDomain && !isStandardResourceName(name))
        c.invalid(path, Value::named(name), "must be a standard resource type or fully qualified");
    if (!hasDomain) {
        if (!isStandardContainerResourceName(name))
            c.invalid(path, Value::named(name), "must be a standard resource for containers");
    } else if (!isNative(name) && !isExtended(name)) {
        c.invalid(path, Value::named(name), "doesn't follow extended resource name standard");
    }
}

void validateQuantityValue(Checks &c, const std::string &name, const Quantity &q,
                           const std::string &path) {
    if (q.milli < 0)
        c.invalid(path, Value::str(canonical(q)), "must be greater than or equal to 0");
    if (isIntegerResourceName(name) && q.milli % 1000 != 0)
        c.invalid(path, Value::json(OrderedJson(canonical(q))), "must be an integer");
}

// Reads one ResourceList; malformed quantities are reported (a real server refuses them while
// decoding) and left out.
std::map<std::string, Quantity> readList(Checks &c, const Json *list, const std::string &path) {
    std::map<std::string, Quantity> out;
    if (list == nullptr)
        return out;
    for (const auto &[name, value] : list->items()) {
        if (value.is_null())
            continue;
        const std::string itemPath = key(path, name);
        if (!value.is_string() && !value.is_number()) {
            c.typeInvalid(itemPath, value, "string");
            continue;
        }
        const auto q = parseQuantity(value);
        if (!q) {
            c.invalid(itemPath,
                      value.is_string() ? Value::str(value.get<std::string>())
                                        : Value::str(value.dump()),
                      kQuantityFormatError);
            continue;
        }
        out.emplace(name, *q);
    }
    return out;
}

} // namespace

void validateResourceRequirements(Checks &c, const Json *resources, const std::string &path,
                                  const PodSpecOptions &options) {
    if (resources == nullptr)
        return;
    const std::string limPath = child(path, "limits");
    const std::string reqPath = child(path, "requests");
    const auto limits = readList(c, c.object(*resources, "limits", limPath), limPath);
    auto requests = readList(c, c.object(*resources, "requests", reqPath), reqPath);
    if (options.isPod) {
        // Pod defaulting: a resource with a limit and no request is requested at its limit.
        for (const auto &[name, q] : limits)
            requests.emplace(name, q);
    }

    bool limCpuOrMemory = false;
    bool reqCpuOrMemory = false;
    bool hugePages = false;
    for (const auto &[name, q] : limits) {
        const std::string itemPath = key(limPath, name);
        validateContainerResourceName(c, name, itemPath);
        validateQuantityValue(c, name, q, itemPath);
        hugePages = hugePages || isHugePage(name);
        limCpuOrMemory = limCpuOrMemory || name == "cpu" || name == "memory";
    }
    for (const auto &[name, q] : requests) {
        const std::string itemPath = key(reqPath, name);
        validateContainerResourceName(c, name, itemPath);
        validateQuantityValue(c, name, q, itemPath);
        const auto limit = limits.find(name);
        if (limit != limits.end()) {
            // Resources that cannot be overcommitted (GPUs, hugepages) need request == limit.
            if (q.milli != limit->second.milli && !isOvercommitAllowed(name))
                c.invalid(reqPath, Value::str(canonical(q)),
                          "must be equal to " + name + " limit of " + canonical(limit->second));
            else if (q.milli > limit->second.milli)
                c.invalid(reqPath, Value::str(canonical(q)),
                          "must be less than or equal to " + name + " limit of " +
                              canonical(limit->second));
        } else if (!isOvercommitAllowed(name)) {
            c.required(limPath, "Limit must be set for non overcommitable resources");
        }
        hugePages = hugePages || isHugePage(name);
        reqCpuOrMemory = reqCpuOrMemory || name == "cpu" || name == "memory";
    }
    if (!limCpuOrMemory && !reqCpuOrMemory && hugePages)
        c.forbidden(path, "HugePages require cpu or memory");
}

} // namespace kd::manifest::detail
