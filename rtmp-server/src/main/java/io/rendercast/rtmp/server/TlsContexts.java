package io.rendercast.rtmp.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** The TLS contexts of RTMPS and HTTPS, read from PEM files. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** A server context of {@code certificateChain} and its PKCS#8 {@code privateKey}. */
    static SslContext forServer(Path certificateChain, Path privateKey) throws IOException {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot read a certificate chain from " + certificateChain + " and a PKCS#8 private "
                    + "key from " + privateKey + ": " + e.getMessage(), e);
        }
    }
}
