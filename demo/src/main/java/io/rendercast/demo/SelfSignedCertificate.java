package io.rendercast.demo;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate and key for RTMPS when none is given, made with BouncyCastle (the JDK has no public
 * API that makes certificates), in PEM files in a fresh temporary folder: an EC P-256 key, valid for 30 days, for
 * the host's name and 127.0.0.1.
 *
 * @param certificate the certificate's PEM file
 * @param key         the private key's PEM file (PKCS#8)
 * @param fingerprint the certificate's SHA-256 fingerprint, colon-separated hex, for clients to pin
 */
public record SelfSignedCertificate(Path certificate, Path key, String fingerprint) {

    private static final Duration VALIDITY = Duration.ofDays(30);

    /**
     * Makes one for {@code host}.
     *
     * @throws IOException when the files cannot be written
     */
    public static SelfSignedCertificate create(String host) throws IOException {
        KeyPair pair;
        X509CertificateHolder made;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
            Instant now = Instant.now();
            made = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, host),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("this JDK cannot make an EC P-256 key or sign with SHA256withECDSA", e);
        }
        Path dir = Files.createTempDirectory("rendercast-tls");
        Path certificate = dir.resolve("certificate.pem");
        Path key = dir.resolve("key.pem");
        try (JcaPEMWriter pem = new JcaPEMWriter(Files.newBufferedWriter(certificate, StandardCharsets.US_ASCII))) {
            pem.writeObject(new JcaMiscPEMGenerator(made));
        }
        try (JcaPEMWriter pem = new JcaPEMWriter(Files.newBufferedWriter(key, StandardCharsets.US_ASCII))) {
            pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
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
