package io.rendercast.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and key for RTMPS when none is given, made with the {@code openssl} program (the JDK
 * has no public API that makes certificates), in PEM files in a fresh temporary folder.
 *
 * @param certificate the certificate's PEM file
 * @param key         the private key's PEM file (PKCS#8)
 * @param fingerprint the certificate's SHA-256 fingerprint, colon-separated hex, for clients to pin
 */
public record SelfSignedCertificate(Path certificate, Path key, String fingerprint) {

    /**
     * Makes one for {@code host}.
     *
     * @throws IOException when openssl is missing or fails, with what it said
     */
    public static SelfSignedCertificate create(String host) throws IOException {
        Path dir = Files.createTempDirectory("rendercast-tls");
        Path certificate = dir.resolve("certificate.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=" + host,
                    "-addext", "subjectAltName=DNS:" + host + ",IP:127.0.0.1", "-keyout", key.toString(),
                    "-out", certificate.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run openssl to make a self-signed certificate (apt-get install openssl, "
                    + "or give --tls-cert and --tls-key): " + e.getMessage(), e);
        }
        String said = new String(openssl.getInputStream().readAllBytes());
        try {
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IOException("openssl could not make a certificate: " + said);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a certificate", e);
        }
        return new SelfSignedCertificate(certificate, key, fingerprint(certificate));
    }

    /** The SHA-256 fingerprint of the certificate in a PEM file. */
    public static String fingerprint(Path certificate) throws IOException {
        try (InputStream in = Files.newInputStream(certificate)) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read a certificate from " + certificate + ": " + e.getMessage(), e);
        }
    }
}
