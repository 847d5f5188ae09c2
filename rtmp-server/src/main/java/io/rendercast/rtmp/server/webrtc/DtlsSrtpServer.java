package io.rendercast.rtmp.server.webrtc;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server's side of DTLS-SRTP (RFC 5764) as WebRTC uses it: DTLS 1.2 with an ECDSA certificate of its own,
 * whose SHA-256 fingerprint the SDP answer carries; the browser's certificate asked for and checked against the
 * fingerprint its offer gave; the {@code use_srtp} extension agreeing on an SRTP profile; and once done, the SRTP
 * keys exported from the handshake.
 */
public final class DtlsSrtpServer extends DefaultTlsServer {

    /** What a completed handshake agreed. */
    public record Agreed(ProtocolVersion version, int cipherSuite, int srtpProfile, byte[] srtpKeyingMaterial,
                         String offered) {
    }

    /** The profiles taken, best first: AES-GCM, then the one every WebRTC endpoint must have. */
    private static final int[] SRTP_PROFILES = {
        SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80};

    private final Identity identity;
    private final String peerFingerprint;
    private final CompletableFuture<Agreed> agreed = new CompletableFuture<>();
    private int srtpProfile = -1;
    /** What the browser's ClientHello offered: versions and key-share groups, for the check's record. */
    private String offered = "";

    /** This side's key and self-signed certificate, made once per server. */
    public record Identity(KeyPair keys, byte[] certificate) {

        public static Identity create() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair keys = generator.generateKeyPair();
                X500Name name = new X500Name("CN=rendercast");
                Instant now = Instant.now();
                byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plusSeconds(30 * 86400)),
                        name, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                        .getEncoded();
                return new Identity(keys, der);
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("no ECDSA certificate could be made here", e);
            }
        }

        /** The certificate's SHA-256 fingerprint as SDP writes it: upper-case hex pairs joined by colons. */
        public String fingerprint() {
            return fingerprintOf(certificate);
        }
    }

    /** @param peerFingerprint the SHA-256 fingerprint the peer's SDP gave for its certificate */
    public DtlsSrtpServer(Identity identity, String peerFingerprint) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.identity = identity;
        this.peerFingerprint = peerFingerprint.toUpperCase(Locale.ROOT);
    }

    /** Completes with what the handshake agreed, or exceptionally if it failed. */
    public CompletableFuture<Agreed> agreed() {
        return agreed;
    }

    static String fingerprintOf(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256});
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.certificate())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                PrivateKeyFactory.createKey(identity.keys().getPrivate().getEncoded()), chain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** WebRTC authenticates both ends: the browser's certificate is asked for, and checked by its fingerprint. */
    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "the peer sent no certificate");
        }
        String got = fingerprintOf(clientCertificate.getCertificateAt(0).getEncoded());
        if (!got.equals(peerFingerprint)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "the peer's certificate is not the one its SDP named: " + got);
        }
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        ProtocolVersion[] versions = TlsExtensionsUtils.getSupportedVersionsExtensionClient(clientExtensions);
        int[] groups = TlsExtensionsUtils.getSupportedGroupsExtension(clientExtensions);
        offered = "versions " + (versions == null ? "none listed" : java.util.Arrays.toString(versions))
                + ", groups " + (groups == null ? "none listed" : java.util.Arrays.toString(groups));
        UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (srtp == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the peer offered no use_srtp extension");
        }
        for (int wanted : SRTP_PROFILES) {
            for (int profile : srtp.getProtectionProfiles()) {
                if (profile == wanted && srtpProfile < 0) {
                    srtpProfile = profile;
                }
            }
        }
        if (srtpProfile < 0) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP profile in common");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {srtpProfile}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // RFC 5764 4.2: two keys and two salts, the client's then the server's.
        int keyBytes = 16;
        int saltBytes = srtpProfile == SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM ? 12 : 14;
        byte[] material = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 2 * (keyBytes + saltBytes));
        agreed.complete(new Agreed(context.getServerVersion(), context.getSecurityParametersConnection()
                .getCipherSuite(), srtpProfile, material, offered));
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        if (level == org.bouncycastle.tls.AlertLevel.fatal) {
            agreed.completeExceptionally(new IOException("DTLS alert raised here: "
                    + AlertDescription.getText(description) + (message == null ? "" : ", " + message), cause));
        }
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (level == org.bouncycastle.tls.AlertLevel.fatal) {
            agreed.completeExceptionally(new IOException("DTLS alert from the peer: "
                    + AlertDescription.getText(description)));
        }
    }
}
