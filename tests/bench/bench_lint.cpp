// Lint benchmark: `kubedeck lint`'s own path (cli::readLintInputs, cli::lintInputs: read, parse,
// lint, single thread) over a generated ML-serving corpus written to a temporary folder. Groups
// of six documents (a Deployment, most with GPUs, its Service, Ingress, HPA, PDB and ConfigMap)
// in a dozen namespaces; some carry findings (latest tags, GPU requests below limits, a
// Service port no container declares, an HPA on CPU for a GPU Deployment, a PDB that blocks
// drains). Two scenarios:
//   files    2,000 documents in 200 files
//   single   one file of 20,000 documents
// Each scenario runs in a child process (`bench_lint --run NAME DIR`) so that its peak RSS is its
// own. Prints `name value unit` lines per scenario (NAME_...):
//   documents, files, bytes, findings
//   first_seconds        read + parse + lint in the fresh process, as `kubedeck lint` runs: it
//                        includes loading the built-in schemas and the first touch of every
//                        page the parsed documents take, which the later runs do not pay
//   first_documents_per_s   from `first_seconds`
//   seconds              read + parse + lint, median of the runs after the first
//   documents_per_s, mb_per_s   from `seconds`
//   parse_seconds        parseLintFile alone over the same texts (median): the share of parsing
//   report_seconds       the text report of the findings (median)
//   peak_rss             the child's peak resident memory (VmHWM)
// `--smoke` runs tiny sizes (for CTest); `--corpus DIR` only writes the corpus to DIR/files and
// DIR/single, e.g. to time `kubedeck lint` itself on it.
#include "cli/lintcommand.h"

#include "benchstats.h"
#include "procstatus.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace kd;
using kdtest::median;

namespace {

double seconds(const std::function<void()> &f) {
    QElapsedTimer t;
    t.start();
    f();
    return static_cast<double>(t.nsecsElapsed()) / 1e9;
}

// Document `index` of the corpus: the group's kind in a fixed order, with the group's quirks.
std::string document(int index) {
    const int g = index / 6;
    const std::string app = "model-" + std::to_string(g);
    const std::string ns = "team-" + std::to_string(g % 12);
    const bool gpu = g % 4 != 0; // every fourth is a CPU embedding server
    const std::string meta = "metadata:\n  name: " + app + "\n  namespace: " + ns +
                             "\n  labels:\n    app: " + app + "\n    tier: inference\n";
    switch (index % 6) {
    case 0: {
        const std::string image = g % 5 == 0 ? "latest" : "1." + std::to_string(g % 9) + ".2";
        const std::string gpuRequest = g % 7 == 0 ? "1" : "2";
        std::string d = "apiVersion: apps/v1\nkind: Deployment\n" + meta +
                        "spec:\n  selector:\n    matchLabels:\n      app: " + app +
                        "\n  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n"
                        "  template:\n    metadata:\n      labels:\n        app: " +
                        app + "\n        tier: inference\n    spec:\n";
        d += "      securityContext: {runAsNonRoot: true, runAsUser: 1000}\n";
        if (gpu)
            d += "      tolerations:\n      - {key: nvidia.com/gpu, operator: Exists, effect: "
                 "NoSchedule}\n      nodeSelector:\n        nvidia.com/gpu.product: "
                 "NVIDIA-A100-SXM4-80GB\n";
        d += "      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: "
             "kubernetes.io/hostname\n        whenUnsatisfiable: ScheduleAnyway\n"
             "        labelSelector: {matchLabels: {app: " +
             app + "}}\n";
        d += "      containers:\n      - name: server\n        image: "
             "registry.example.com/ml/" +
             std::string(gpu ? "vllm" : "text-embeddings") + ":" + image +
             "\n        args: [\"--model\", \"/models/" + app +
             "\", \"--port\", \"8000\"]\n        env:\n        - name: MODEL_NAME\n"
             "          value: " +
             app +
             "\n        - name: HF_HOME\n          value: /cache\n        ports:\n        - name: "
             "http\n          containerPort: 8000\n        - name: metrics\n"
             "          containerPort: 9090\n        resources:\n          requests:\n"
             "            cpu: \"4\"\n            memory: 24Gi\n";
        if (gpu)
            d += "            nvidia.com/gpu: " + gpuRequest + "\n";
        d += "          limits:\n            memory: 24Gi\n";
        if (gpu)
            d += "            nvidia.com/gpu: 2\n";
        d += "        securityContext: {allowPrivilegeEscalation: false}\n"
             "        startupProbe:\n          httpGet: {path: /health, port: http}\n"
             "          failureThreshold: 60\n          periodSeconds: 10\n"
             "        readinessProbe:\n          httpGet: {path: /v1/models, port: http}\n"
             "          periodSeconds: 5\n        livenessProbe:\n"
             "          httpGet: {path: /health, port: http}\n          periodSeconds: 20\n"
             "        volumeMounts:\n        - {name: dshm, mountPath: /dev/shm}\n"
             "        - {name: cache, mountPath: /cache}\n      volumes:\n      - name: dshm\n"
             "        emptyDir: {medium: Memory, sizeLimit: 16Gi}\n      - name: cache\n"
             "        emptyDir: {}\n";
        return d;
    }
    case 1:
        return "apiVersion: v1\nkind: Service\n" + meta + "spec:\n  selector:\n    app: " + app +
               "\n  ports:\n  - name: http\n    port: 80\n    targetPort: " +
               (g % 9 == 0 ? "grpc" : "http") + "\n";
    case 2:
        return "apiVersion: networking.k8s.io/v1\nkind: Ingress\n" + meta +
               "  annotations:\n    nginx.ingress.kubernetes.io/proxy-read-timeout: \"300\"\n"
               "spec:\n  ingressClassName: nginx\n  rules:\n  - host: " +
               app +
               ".ml.example.com\n    http:\n      paths:\n      - path: /\n"
               "        pathType: Prefix\n        backend:\n          service:\n"
               "            name: " +
               app + "\n            port: {number: 80}\n";
    case 3: {
        std::string metric =
            gpu && g % 3 != 0
                ? "  - type: Pods\n    pods:\n      metric: {name: vllm_num_requests_waiting}\n"
                  "      target: {type: AverageValue, averageValue: \"8\"}\n"
                : "  - type: Resource\n    resource:\n      name: cpu\n"
                  "      target: {type: Utilization, averageUtilization: 70}\n";
        return "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n" + meta +
               "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n"
               "    name: " +
               app + "\n  minReplicas: 2\n  maxReplicas: 8\n  metrics:\n" + metric;
    }
    case 4:
        return "apiVersion: policy/v1\nkind: PodDisruptionBudget\n" + meta + "spec:\n" +
               (g % 11 == 0 ? "  maxUnavailable: 0\n" : "  maxUnavailable: 1\n") +
               "  selector:\n    matchLabels:\n      app: " + app + "\n";
    default:
        return "apiVersion: v1\nkind: ConfigMap\n" + meta +
               "data:\n  MAX_MODEL_LEN: \"8192\"\n  TENSOR_PARALLEL_SIZE: \"2\"\n"
               "  prompt-template.txt: |\n    <|system|>You are a helpful assistant.</s>\n"
               "    <|user|>{{ prompt }}</s>\n";
    }
}

// Writes `documents` documents in `files` files under `dir`; answers the bytes written.
std::size_t writeCorpus(const QString &dir, int documents, int files) {
    std::size_t bytes = 0;
    const int perFile = (documents + files - 1) / files;
    for (int f = 0, index = 0; f < files; ++f) {
        char name[32];
        std::snprintf(name, sizeof name, "/%04d.yaml", f);
        std::ofstream out(dir.toStdString() + name, std::ios::binary);
        for (int k = 0; k < perFile && index < documents; ++k, ++index) {
            const std::string text = (k == 0 ? "" : "---\n") + document(index);
            out << text;
            bytes += text.size();
        }
    }
    return bytes;
}

void print(const std::string &scenario, const char *name, double value, const char *unit) {
    const bool whole = value >= 100 || value == static_cast<long long>(value);
    std::printf(whole ? "%s_%s %.0f %s\n" : "%s_%s %.4g %s\n", scenario.c_str(), name, value, unit);
    std::fflush(stdout);
}

// The child: lints the folder `runs` times and prints what it measured.
int runScenario(const std::string &scenario, const std::string &dir, int runs) {
    std::vector<double> total, parse, report;
    double first = 0;
    std::size_t bytes = 0, findings = 0;
    int documents = 0, files = 0;
    for (int r = 0; r < runs; ++r) {
        manifest::LintReport result;
        const double t = seconds([&] {
            std::vector<manifest::InputError> errors;
            result = cli::lintInputs(cli::readLintInputs({dir}, errors), manifest::LintOptions{});
        });
        if (r == 0)
            first = t;
        else
            total.push_back(t);
        parse.push_back(seconds([&] {
            for (const manifest::ReportedFile &file : result.files)
                (void)manifest::parseLintFile(file.path, file.text);
        }));
        report.push_back(seconds([&] { (void)manifest::textReport(result); }));
        bytes = 0;
        for (const manifest::ReportedFile &file : result.files)
            bytes += file.text.size();
        documents = manifest::countFindings(result).documents;
        files = static_cast<int>(result.files.size());
        findings = result.findings.size();
    }
    const double s = total.empty() ? first : median(total);
    print(scenario, "documents", documents, "count");
    print(scenario, "files", files, "count");
    print(scenario, "bytes", static_cast<double>(bytes), "B");
    print(scenario, "findings", static_cast<double>(findings), "count");
    print(scenario, "first_seconds", first, "s");
    print(scenario, "first_documents_per_s", documents / first, "1/s");
    print(scenario, "seconds", s, "s");
    print(scenario, "documents_per_s", documents / s, "1/s");
    print(scenario, "mb_per_s", static_cast<double>(bytes) / 1e6 / s, "MB/s");
    print(scenario, "parse_seconds", median(parse), "s");
    print(scenario, "report_seconds", median(report), "s");
    print(scenario, "peak_rss", kdtest::statusMegabytes("VmHWM:"), "MB");
    return documents > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() == 5 && args[1] == QLatin1String("--run"))
        return runScenario(args[2].toStdString(), args[3].toStdString(), args[4].toInt());
    const bool smoke = args.size() == 2 && args[1] == QLatin1String("--smoke");
    const bool corpusOnly = args.size() == 3 && args[1] == QLatin1String("--corpus");
    if (args.size() > 1 && !smoke && !corpusOnly) {
        std::fprintf(stderr, "usage: bench_lint [--smoke | --corpus DIR]\n");
        return 2;
    }
    struct Scenario {
        const char *name;
        int documents;
        int files;
    };
    const std::vector<Scenario> scenarios =
        smoke ? std::vector<Scenario>{{"files", 60, 6}, {"single", 120, 1}}
              : std::vector<Scenario>{{"files", 2000, 200}, {"single", 20000, 1}};
    const int runs = smoke ? 1 : 4; // the first run, then the median of three
    for (const Scenario &sc : scenarios) {
        QTemporaryDir temporary;
        const QString dir =
            corpusOnly ? args[2] + u'/' + QString::fromLatin1(sc.name) : temporary.path();
        if ((!corpusOnly && !temporary.isValid()) || !QDir().mkpath(dir) ||
            writeCorpus(dir, sc.documents, sc.files) == 0) {
            std::fprintf(stderr, "bench_lint: cannot write the corpus to %s\n", qPrintable(dir));
            return 1;
        }
        if (corpusOnly)
            continue;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(
            QCoreApplication::applicationFilePath(),
            {QStringLiteral("--run"), QString::fromLatin1(sc.name), dir, QString::number(runs)});
        if (!child.waitForFinished(-1) || child.exitStatus() != QProcess::NormalExit ||
            child.exitCode() != 0) {
            std::fprintf(stderr, "bench_lint: the %s scenario failed\n", sc.name);
            return 1;
        }
    }
    return 0;
}
