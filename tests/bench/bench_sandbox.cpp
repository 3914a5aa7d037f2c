// Sandbox benchmark: paged list of 10,000 pods, watch fan-out to 10 watchers, resident memory.
// Prints `name value unit` lines. `--smoke` runs tiny sizes (for CTest), `--pods N` etc. override.
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "sandbox/scenario.h"
#include "sandbox/server.h"

#include "procstatus.h"
#include "urlencode.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace kd::sandbox;
using Clk = std::chrono::steady_clock;

namespace {

double seconds(Clk::time_point since) {
    return std::chrono::duration<double>(Clk::now() - since).count();
}

} // namespace

int main(int argc, char **argv) {
    int pods = 10000, nodes = 200, deployments = 500, watchers = 10, changes = 2000;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (a == "--smoke") {
            pods = 200;
            nodes = 10;
            deployments = 20;
            changes = 100;
        } else if (a == "--pods") {
            pods = next();
        } else if (a == "--nodes") {
            nodes = next();
        } else if (a == "--deployments") {
            deployments = next();
        } else if (a == "--changes") {
            changes = next();
        } else {
            std::fprintf(stderr, "usage: bench_sandbox [--smoke] [--pods N] [--nodes N] "
                                 "[--deployments N] [--changes N]\n");
            return 2;
        }
    }
    std::string spec = "scale:pods=" + std::to_string(pods) + ",nodes=" + std::to_string(nodes) +
                       ",deployments=" + std::to_string(deployments);
    auto t0 = Clk::now();
    Cluster cluster({Clock::Mode::Real, 1.0, 0});
    applyScenario(cluster, loadScenario(spec));
    std::printf("sandbox_load_%d_pods %.3f s\n", pods, seconds(t0));
    ServerOptions so;
    ApiServer server(cluster, so);
    server.start();
    cluster.start();
    std::string token = server.credentials().adminToken;

    // 1. Paged list of every pod, 500 per page, as a client (Kubedeck, client-go) would do it:
    // once as the server delivers the pages (the continue token found in the text), once with
    // every page parsed into JSON values on the client.
    for (bool parse : {false, true}) {
        httplib::Client c("127.0.0.1", server.port());
        c.set_bearer_token_auth(token.c_str());
        c.set_read_timeout(60, 0);
        auto start = Clk::now();
        std::string cont;
        std::size_t items = 0, bytes = 0;
        int pages = 0;
        do {
            std::string path = "/api/v1/pods?limit=500" +
                               (cont.empty() ? "" : "&continue=" + kd::testing::urlEncode(cont));
            auto r = c.Get(path.c_str());
            if (!r || r->status != 200) {
                std::fprintf(stderr, "list failed\n");
                return 1;
            }
            bytes += r->body.size();
            if (parse) {
                Json page = Json::parse(r->body);
                items += page["items"].size();
                cont = page["metadata"].value("continue", "");
            } else {
                // The list metadata comes before the items; the token is base64, without quotes.
                auto at = r->body.find("\"continue\":\"");
                auto itemsAt = r->body.find("\"items\":[");
                cont = at != std::string::npos && at < itemsAt
                           ? r->body.substr(at + 12, r->body.find('"', at + 12) - at - 12)
                           : "";
                for (auto k = r->body.find("\"kind\":\"Pod\""); k != std::string::npos;
                     k = r->body.find("\"kind\":\"Pod\"", k + 1))
                    ++items;
            }
            ++pages;
        } while (!cont.empty());
        std::printf("list_%zu_pods_pages_of_500%s %.3f s\n", items,
                    parse ? "_parsed_by_client" : "", seconds(start));
        if (!parse) {
            std::printf("list_pages %d count\n", pages);
            std::printf("list_bytes %.1f MB\n", bytes / 1e6);
        }
        if (items != static_cast<std::size_t>(pods)) {
            std::fprintf(stderr, "listed %zu pods, expected %d\n", items, pods);
            return 1;
        }
    }

    // 2. Watch fan-out: `watchers` clients watch ConfigMaps; `changes` ConfigMaps are created.
    {
        std::string rv;
        {
            httplib::Client c("127.0.0.1", server.port());
            c.set_bearer_token_auth(token.c_str());
            rv = Json::parse(
                     c.Get("/api/v1/configmaps?limit=1")->body)["metadata"]["resourceVersion"]
                     .get<std::string>();
        }
        std::atomic<int> received{0};
        std::vector<std::thread> threads;
        for (int w = 0; w < watchers; ++w)
            threads.emplace_back([&, w] {
                (void)w;
                httplib::Client c("127.0.0.1", server.port());
                c.set_bearer_token_auth(token.c_str());
                c.set_read_timeout(120, 0);
                int mine = 0;
                std::string path =
                    "/api/v1/configmaps?watch=true&timeoutSeconds=120&resourceVersion=" + rv;
                c.Get(path.c_str(), [&](const char *data, size_t len) {
                    for (size_t i = 0; i < len; ++i)
                        if (data[i] == '\n') {
                            ++mine;
                            ++received;
                        }
                    return mine < changes;
                });
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const ResourceType &cm = resourceType("v1", "ConfigMap");
        auto start = Clk::now();
        for (int i = 0; i < changes; ++i)
            cluster.store().create(
                cm, Json{{"metadata",
                          {{"name", "bench-" + std::to_string(i)}, {"namespace", "default"}}},
                         {"data", {{"i", std::to_string(i)}}}});
        for (auto &t : threads)
            t.join();
        double elapsed = seconds(start);
        std::printf("watch_events_delivered %d count\n", received.load());
        std::printf("watch_events_per_second_%d_watchers %.0f events/s\n", watchers,
                    received.load() / elapsed);
        if (received.load() != watchers * changes)
            return 1;
    }

    std::printf("sandbox_resident_memory_%d_pods %.1f MB\n", pods,
                kdtest::statusMegabytes("VmRSS:"));
    server.stop();
    cluster.stop();
    return 0;
}
