package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PEM files are what Netty's {@code SslContextBuilder.forServer} reads: an X.509 chain and a PKCS#8 key. */
class SelfSignedCertificateTest {

    @Test
    void writesAPemCertificateForTheHostAndAPkcs8KeyThatSignsForIt() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create("localhost");

        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(made.certificate())) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        certificate.checkValidity();
        assertEquals("CN=localhost", certificate.getSubjectX500Principal().getName());
        assertTrue(certificate.getSubjectAlternativeNames().containsAll(List.of(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"))), certificate.getSubjectAlternativeNames().toString());
        certificate.verify(certificate.getPublicKey());

        String pem = Files.readString(made.key(), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        String base64 = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(base64)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate);
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the key belongs to the certificate");

        assertEquals(SelfSignedCertificate.fingerprint(made.certificate()), made.fingerprint());
        assertTrue(made.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), made.fingerprint());
    }
}
