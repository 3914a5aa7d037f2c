// The catalogue entries of the YAML, schema and API-server checks (lint_yaml.cpp,
// lint_schema.cpp, lint_schemawalk.cpp, lint_api.cpp).

#include "manifest/lintstages.h"

namespace kd::manifest::detail {

std::vector<RuleInfo> schemaCheckInfos() {
    return {
        {"yaml-syntax", Severity::Error, RuleScope::File, "yaml", "The YAML does not parse",
         "A document that is not valid YAML is rejected by kubectl as a whole, so nothing in it "
         "is applied. Kubedeck skips that document and still checks every other document of "
         "the file.",
         "Fix the syntax at the position shown: usually a tab used for indentation, a key "
         "indented by the wrong number of spaces, or a `:` or `#` inside an unquoted value "
         "(quote such values)."},
        {"yaml-duplicate-key", Severity::Error, RuleScope::File, "yaml",
         "A key appears twice in one mapping",
         "YAML parsers keep only one of the two values (Kubedeck and most tools keep the later "
         "one) and kubectl's strict decoding refuses the object. A duplicated `resources:` or "
         "`env:` block usually means half of the settings you wrote are silently dropped.",
         "Merge the two entries into one, or delete the one you did not mean."},
        {"yaml-encoding", Severity::Error, RuleScope::File, "yaml", "The file is not UTF-8 text",
         "Kubernetes manifests must be UTF-8. Invalid byte sequences, NUL bytes or UTF-16 that "
         "does not decode come from editors saving in another encoding or from binary files "
         "picked up by a glob; kubectl cannot read them.",
         "Save the file as UTF-8 (a UTF-8 or UTF-16 byte order mark is accepted), or exclude "
         "the binary file from what you lint."},
        {"yaml-limit", Severity::Error, RuleScope::File, "yaml",
         "The document is too large or too deeply nested",
         "Inputs over 64 MiB, nesting deeper than 128 levels and aliases that expand to hundreds "
         "of thousands of nodes (a \"billion laughs\") are refused before they exhaust memory. "
         "No real manifest comes close to these limits.",
         "Split huge files, and remove anchors and aliases that multiply each other."},
        {"object-invalid", Severity::Error, RuleScope::Object, "schema",
         "The document is not a Kubernetes object",
         "Every object needs a mapping with `apiVersion` and `kind`; without them kubectl "
         "cannot tell what to create (\"Object 'Kind' is missing\"). Plain values, lists and "
         "Helm values files are not objects.",
         "Add the missing `apiVersion` and `kind` (e.g. `apiVersion: apps/v1` and `kind: "
         "Deployment`), or keep non-manifest YAML out of the files you lint."},
        {"api-version-removed", Severity::Error, RuleScope::Object, "schema",
         "The apiVersion is no longer served",
         "Kubernetes stops serving beta apiVersions a few releases after the stable one "
         "appears. Applying such a manifest to the target version fails with \"no matches for "
         "kind\", typically right after a cluster upgrade.",
         "Change `apiVersion` to the replacement named in the message. Where the fields are the "
         "same (policy/v1beta1 to policy/v1, autoscaling/v2beta2 to autoscaling/v2, "
         "batch/v1beta1 to batch/v1) the quick fix does it; otherwise migrate the fields too "
         "(e.g. an Ingress backend becomes `service.name` and `service.port.number`)."},
        {"api-version-deprecated", Severity::Warning, RuleScope::Object, "schema",
         "The apiVersion is scheduled for removal",
         "The target Kubernetes version still serves this apiVersion, but a coming release "
         "removes it, and the cluster upgrade will break the deployment of this manifest.",
         "Move to the replacement apiVersion named in the message now, while both are "
         "served."},
        {"schema-missing", Severity::Warning, RuleScope::Object, "schema",
         "No schema is known for this kind",
         "Without a schema Kubedeck cannot check field names, types or required fields, so "
         "typos pass silently. This is expected for custom resources (KServe "
         "InferenceService, Ray clusters, ...) but for a built-in kind it usually means a "
         "misspelt `kind` or `apiVersion`.",
         "Fix the kind or apiVersion if the message suggests one; for custom resources, give "
         "their schemas with --schema-dir or lint against a cluster, or pass "
         "--ignore-missing-schemas."},
        {"field-unknown", Severity::Error, RuleScope::Object, "schema",
         "A field the kind does not have",
         "The API server drops unknown fields (or refuses them under strict validation), so a "
         "misspelt `replicsa` or `nodeselector` means the setting you wrote never takes "
         "effect, often without any visible error. A field at the wrong indentation is the "
         "same problem.",
         "Rename the field as suggested, or move it to the level where it belongs (e.g. "
         "`resources` goes inside a container, not next to `containers`)."},
        {"field-type", Severity::Error, RuleScope::Object, "schema", "A value has the wrong type",
         "Kubernetes decodes each field into a fixed type and refuses the whole object when "
         "it does not fit. Classics: `replicas: \"3\"` or `containerPort: \"8080\"` quoted as "
         "strings, an env `value: true` or label `version: 1.0` that YAML reads as a boolean "
         "or number, and Secret `data` that is not base64.",
         "Remove the quotes around numbers and booleans, quote strings that look like numbers "
         "or booleans, and put plain-text secrets under `stringData`."},
        {"field-required", Severity::Error, RuleScope::Object, "schema",
         "A required field is missing",
         "The API server refuses objects without their required fields, such as a container's "
         "`name`, a Deployment's `selector` or an Ingress path's `pathType`.",
         "Add the field named in the message under the key shown."},
        {"field-enum", Severity::Error, RuleScope::Object, "schema",
         "A value is not one of the allowed values",
         "Fields such as `imagePullPolicy`, `restartPolicy`, a Service's `type` or an Ingress "
         "`pathType` accept a fixed set of values, spelt exactly (case matters: `always` is not "
         "`Always`).",
         "Use one of the values listed in the message; the quick fix applies the closest one."},
        {"field-quantity", Severity::Error, RuleScope::Object, "schema",
         "A resource quantity is malformed",
         "CPU, memory, GPU and storage amounts are Kubernetes quantities: a number with an "
         "optional suffix and no space. `2GB`, `1 Gi` or `512mb` are refused by the API "
         "server. Binary suffixes (Ki, Mi, Gi) are powers of 1024; decimal ones (k, M, G) "
         "powers of 1000; a lowercase `m` means thousandths.",
         "Write memory as `16Gi` or `512Mi`, CPU as `500m` or `2`, GPUs as whole numbers."},
        {"name-invalid", Severity::Error, RuleScope::Object, "api",
         "The object's name is not allowed",
         "Names become DNS names and URL path segments, so most kinds need lowercase letters, "
         "digits, '-' and '.', at most 253 characters (Services and StatefulSets: 63, no "
         "dots). `my_Model-V2` is refused by the API server.",
         "Use lowercase letters, digits and '-', starting and ending with a letter or digit "
         "(e.g. `my-model-v2`)."},
        {"label-invalid", Severity::Error, RuleScope::Object, "api",
         "A label key or value is not allowed",
         "Label keys are an optional DNS prefix and a name of at most 63 characters; values are "
         "at most 63 characters of letters, digits, '-', '_' and '.', starting and ending "
         "alphanumeric. Model versions and image tags often break this (`model: "
         "llama-3.1:8b-instruct`), and the API server refuses the object.",
         "Shorten the value and replace characters such as ':' or '/' with '-' (keep the full "
         "text in an annotation if you need it)."},
        {"api-validation", Severity::Error, RuleScope::Object, "api",
         "The API server would refuse this object",
         "Kubedeck runs the checks a kube-apiserver makes on create (the same validator as the "
         "sandbox cluster), which catch what schemas cannot: requests above limits, GPU "
         "requests unequal to limits, selectors that do not match the pod template, duplicate "
         "ports and more.",
         "Change the field named in the message as it says; the text is the API server's own."},
    };
}

} // namespace kd::manifest::detail
