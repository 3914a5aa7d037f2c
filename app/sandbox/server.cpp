#include "sandbox/server.h"

#include "sandbox/apihandler.h"
#include "sandbox/cluster.h"
#include "sandbox/watch.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace kd::sandbox {

struct ApiServer::Impl {
    std::unique_ptr<httplib::Server> server;
};

namespace {

bool loadPem(SSL_CTX &ctx, const TlsMaterial &tls) {
    BIO *certBio =
        BIO_new_mem_buf(tls.server.certPem.data(), static_cast<int>(tls.server.certPem.size()));
    BIO *keyBio =
        BIO_new_mem_buf(tls.server.keyPem.data(), static_cast<int>(tls.server.keyPem.size()));
    BIO *caBio = BIO_new_mem_buf(tls.ca.certPem.data(), static_cast<int>(tls.ca.certPem.size()));
    X509 *cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    X509 *ca = PEM_read_bio_X509(caBio, nullptr, nullptr, nullptr);
    bool ok = cert && key && ca && SSL_CTX_use_certificate(&ctx, cert) == 1 &&
              SSL_CTX_use_PrivateKey(&ctx, key) == 1 &&
              X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca) == 1;
    if (ok) {
        STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
        sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca)));
        SSL_CTX_set_client_CA_list(&ctx, names);
        // Client certificates are optional (tokens work too), but one that is sent must verify.
        SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    X509_free(ca);
    BIO_free(certBio);
    BIO_free(keyBio);
    BIO_free(caBio);
    return ok;
}

void clientSubject(const httplib::Request &req, std::string &cn, std::vector<std::string> &orgs) {
    if (!req.ssl)
        return;
    X509 *cert = SSL_get1_peer_certificate(req.ssl);
    if (!cert)
        return;
    if (SSL_get_verify_result(req.ssl) == X509_V_OK) {
        X509_NAME *subject = X509_get_subject_name(cert);
        for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
            X509_NAME_ENTRY *e = X509_NAME_get_entry(subject, i);
            int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
            unsigned char *utf8 = nullptr;
            int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
            if (len >= 0) {
                std::string value(reinterpret_cast<char *>(utf8), static_cast<std::size_t>(len));
                if (nid == NID_commonName)
                    cn = value;
                else if (nid == NID_organizationName)
                    orgs.push_back(value);
            }
            OPENSSL_free(utf8);
        }
    }
    X509_free(cert);
}

// kube-apiserver's response compression: gzip at the fastest level, only for bodies of 128 KiB
// or more, only when the client accepts gzip; never for watch streams.
constexpr std::size_t kGzipThreshold = 128 * 1024;
constexpr const char *kAcceptsGzip = "Kubedeck-Sandbox-Accepts-Gzip";

std::optional<std::string> gzipFast(const std::string &body) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return std::nullopt;
    std::string out(deflateBound(&z, static_cast<uLong>(body.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return std::nullopt;
    return out;
}

std::string yamlQuote(const std::string &s) {
    return "\"" + s + "\"";
}

} // namespace

ApiServer::ApiServer(Cluster &cluster, ServerOptions options)
    : m_cluster(cluster)
    , m_options(std::move(options))
    , m_authorizer(generateCredentials())
    , m_impl(std::make_unique<Impl>()) {
    if (m_options.tls)
        m_tls = generateTlsMaterial(m_options.certificates);
}

ApiServer::~ApiServer() {
    stop();
}

std::string ApiServer::url() const {
    std::string host =
        m_options.host.find(':') != std::string::npos ? "[" + m_options.host + "]" : m_options.host;
    return (m_options.tls ? "https://" : "http://") + host + ":" + std::to_string(m_port);
}

int ApiServer::start() {
    if (m_options.tls) {
        const TlsMaterial tls = *m_tls;
        m_impl->server =
            std::make_unique<httplib::SSLServer>([tls](SSL_CTX &ctx) { return loadPem(ctx, tls); });
    } else {
        m_impl->server = std::make_unique<httplib::Server>();
    }
    httplib::Server &svr = *m_impl->server;
    if (!svr.is_valid())
        throw std::runtime_error("the sandbox could not set up its TLS context");
    int threads = m_options.threads;
    svr.new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    svr.set_payload_max_length(16 * 1024 * 1024);
    svr.set_keep_alive_max_count(1000);
    svr.set_read_timeout(30);
    svr.set_write_timeout(30);

    // The HTTP library would compress every JSON answer itself, preferring brotli at a high
    // level. Take the choice away from it (the request is the server's own, non-const object) and
    // compress as kube-apiserver does, in serve().
    svr.set_pre_routing_handler([](const httplib::Request &req, httplib::Response &) {
        auto &headers = const_cast<httplib::Request &>(req).headers;
        bool gzip = false;
        for (auto [it, end] = headers.equal_range("Accept-Encoding"); it != end; ++it)
            gzip = gzip || it->second.find("gzip") != std::string::npos;
        headers.erase("Accept-Encoding");
        if (gzip)
            headers.emplace(kAcceptsGzip, "1");
        return httplib::Server::HandlerResponse::Unhandled;
    });

    auto serve = [this](const httplib::Request &req, httplib::Response &res) {
        ApiRequest r;
        r.method = req.method;
        r.path = req.path;
        r.query = req.params;
        r.body = req.body;
        r.contentType = req.get_header_value("Content-Type");
        r.accept = req.get_header_value("Accept");
        r.userAgent = req.get_header_value("User-Agent");
        std::string cn;
        std::vector<std::string> orgs;
        clientSubject(req, cn, orgs);
        r.user = m_authorizer.authenticate(req.get_header_value("Authorization"), cn, orgs);
        if (int latency = m_faults.config().latencyMs;
            latency > 0 && r.path.rfind("/sandbox/", 0) != 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(latency));
        ApiResponse a = m_handler->handle(r);
        res.status = a.status;
        for (const auto &[k, v] : a.headers)
            res.set_header(k.c_str(), v);
        // OpenAPI v3 documents asked for by their current hash may be cached (openapi.cpp).
        if (!res.has_header("Cache-Control"))
            res.set_header("Cache-Control", "no-cache, private");
        if (a.watch) {
            std::shared_ptr<WatchStream> stream = a.watch;
            res.set_chunked_content_provider(
                a.contentType, [stream](size_t, httplib::DataSink &sink) {
                    if (!sink.is_writable())
                        return false;
                    std::optional<std::string> chunk = stream->next();
                    if (!chunk) {
                        sink.done();
                        return true;
                    }
                    if (!chunk->empty() && !sink.write(chunk->data(), chunk->size()))
                        return false;
                    return true;
                });
            return;
        }
        if (a.body.size() >= kGzipThreshold && req.has_header(kAcceptsGzip)) {
            if (std::optional<std::string> packed = gzipFast(a.body)) {
                res.set_header("Content-Encoding", "gzip");
                res.set_content(std::move(*packed), a.contentType.c_str());
                return;
            }
        }
        res.set_content(std::move(a.body), a.contentType.c_str());
    };
    svr.Get(".*", serve);
    svr.Post(".*", serve);
    svr.Put(".*", serve);
    svr.Patch(".*", serve);
    svr.Delete(".*", serve);

    m_port = m_options.port > 0
                 ? (svr.bind_to_port(m_options.host.c_str(), m_options.port) ? m_options.port : -1)
                 : svr.bind_to_any_port(m_options.host.c_str());
    if (m_port <= 0)
        throw std::runtime_error("the sandbox could not listen on " + m_options.host + ":" +
                                 std::to_string(m_options.port) + " (is the port in use?)");
    std::string address =
        (m_options.host.find(':') != std::string::npos ? "[" + m_options.host + "]"
                                                       : m_options.host) +
        ":" + std::to_string(m_port);
    m_handler = std::make_unique<ApiHandler>(m_cluster, m_faults, address);
    m_thread = std::thread([&svr] { svr.listen_after_bind(); });
    return m_port;
}

void ApiServer::stop() {
    if (m_impl && m_impl->server) {
        m_impl->server->stop();
        if (m_thread.joinable())
            m_thread.join();
        m_impl->server.reset();
    }
}

std::string ApiServer::kubeconfig() const {
    const Credentials &c = credentials();
    std::string out = "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n- name: "
                      "kubedeck-sandbox\n  cluster:\n"
                      "    server: " +
                      url() + "\n";
    if (m_tls)
        out += "    certificate-authority-data: " + base64Encode(m_tls->ca.certPem) + "\n";
    std::string ns = yamlQuote(m_options.defaultNamespace);
    out += "contexts:\n"
           "- name: sandbox-admin\n  context:\n    cluster: kubedeck-sandbox\n    user: "
           "sandbox-admin\n    namespace: " +
           ns +
           "\n"
           "- name: sandbox-admin-token\n  context:\n    cluster: kubedeck-sandbox\n    user: "
           "sandbox-admin-token\n    namespace: " +
           ns +
           "\n"
           "- name: sandbox-viewer\n  context:\n    cluster: kubedeck-sandbox\n    user: "
           "sandbox-viewer\n    namespace: " +
           ns +
           "\n"
           "current-context: sandbox-admin\nusers:\n";
    if (m_tls)
        out += "- name: sandbox-admin\n  user:\n    client-certificate-data: " +
               base64Encode(m_tls->adminClient.certPem) +
               "\n    client-key-data: " + base64Encode(m_tls->adminClient.keyPem) + "\n";
    else
        out += "- name: sandbox-admin\n  user:\n    token: " + yamlQuote(c.adminToken) + "\n";
    out += "- name: sandbox-admin-token\n  user:\n    token: " + yamlQuote(c.adminToken) + "\n";
    out += "- name: sandbox-viewer\n  user:\n    token: " + yamlQuote(c.viewerToken) + "\n";
    return out;
}

void writePrivateFile(const std::string &path, const std::string &content) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
    }
}

} // namespace kd::sandbox
