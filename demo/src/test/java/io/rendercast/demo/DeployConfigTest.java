package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files in {@code deploy/} (HAProxy, Kubernetes, systemd) agree with the server: its ports, its
 * {@code /health} path, and a stop that waits out the drain. No cluster runs them here; this reads them.
 */
class DeployConfigTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final DemoOptions DEFAULTS = DemoOptions.defaults();

    private static String read(String name) throws IOException {
        return Files.readString(DEPLOY.resolve(name));
    }

    private static long number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "no " + regex + " in\n" + text);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void kubernetesProbesPortsAndGracePeriodAgreeWithTheServer() throws IOException {
        String manifest = read("kubernetes/rendercast.yaml");
        long rtmp = number(manifest, "--port=(\\d+)");
        long http = number(manifest, "--http-port=(\\d+)");
        long agent = number(manifest, "--agent-port=(\\d+)");
        long drain = number(manifest, "--drain-timeout=(\\d+)");
        assertEquals(DEFAULTS.port(), rtmp);
        assertEquals(DEFAULTS.httpPort(), http);
        assertEquals(DEFAULTS.drainTimeoutSeconds(), drain);
        assertEquals(rtmp, number(manifest, "name: rtmp\\s+containerPort: (\\d+)"));
        assertEquals(http, number(manifest, "name: http\\s+containerPort: (\\d+)"));
        assertEquals(agent, number(manifest, "name: agent\\s+containerPort: (\\d+)"));
        long webRtc = number(manifest, "--webrtc-port=(\\d+)");
        assertEquals(DEFAULTS.webRtcPort(), webRtc);
        assertEquals(webRtc, number(manifest, "name: webrtc\\s+containerPort: (\\d+)\\s+hostPort: \\d+\\s+protocol: UDP"));
        assertTrue(manifest.contains("--webrtc-host=$(HOST_IP)") && manifest.contains("fieldPath: status.hostIP"),
                "the candidate names the node's address, where the pod's UDP port is reached");
        assertEquals(0, number(manifest, "maxSurge: (\\d+)"), "a rollout frees a node's UDP port before it fills it");
        assertEquals(http, number(manifest, "readinessProbe:\\s+httpGet:\\s+path: /health\\s+port: (\\d+)"));
        long preStop = number(manifest, "command: \\[\"sleep\", \"(\\d+)\"\\]");
        assertTrue(number(manifest, "terminationGracePeriodSeconds: (\\d+)") > drain + preStop,
                "the grace period outlasts the drain and the preStop");
        assertTrue(manifest.contains("kind: Service") && manifest.contains("kind: PodDisruptionBudget"));
    }

    @Test
    void systemdWaitsOutTheDrain() throws IOException {
        String unit = read("rendercast.service");
        assertEquals(DEFAULTS.port(), number(unit, "--port=(\\d+)"));
        assertEquals(DEFAULTS.httpPort(), number(unit, "--http-port=(\\d+)"));
        assertTrue(unit.contains("KillSignal=SIGTERM"), "SIGTERM drains");
        assertTrue(number(unit, "TimeoutStopSec=(\\d+)") > number(unit, "--drain-timeout=(\\d+)"));
    }

    @Test
    void haproxyBalancesOnTheServersPortsWithItsHealthAndAgentChecks() throws IOException {
        String config = read("haproxy.cfg");
        assertEquals(DEFAULTS.port(), number(config, "frontend rtmp\\s+mode tcp\\s+bind :(\\d+)"));
        assertEquals(DEFAULTS.httpPort(), number(config, "frontend http\\s+mode http\\s+bind :(\\d+)"));
        assertEquals(4, config.split("option httpchk GET /health", -1).length - 1, "every backend checks /health");
        assertEquals(4, config.split("balance leastconn", -1).length - 1);
        assertTrue(config.contains("agent-check"), "weights from the agent check");
        // Node i: RTMP 19350+i, HTTP 18080+i, agent 19500+i, the pattern ./rendercast cluster writes.
        Matcher rtmpServer = Pattern.compile("server node(\\d+) 127.0.0.1:(\\d+) check port (\\d+) agent-port (\\d+)")
                .matcher(config);
        int nodes = 0;
        while (rtmpServer.find()) {
            int i = Integer.parseInt(rtmpServer.group(1));
            assertEquals(List.of(19350 + i, 18080 + i, 19500 + i), List.of(Integer.parseInt(rtmpServer.group(2)),
                    Integer.parseInt(rtmpServer.group(3)), Integer.parseInt(rtmpServer.group(4))));
            nodes++;
        }
        assertTrue(nodes >= 1, "RTMP backend servers");
        Matcher httpServer = Pattern.compile("server node(\\d+) 127.0.0.1:(\\d+) check agent-port (\\d+)\n")
                .matcher(config);
        while (httpServer.find()) {
            int i = Integer.parseInt(httpServer.group(1));
            assertEquals(List.of(18080 + i, 19500 + i), List.of(Integer.parseInt(httpServer.group(2)),
                    Integer.parseInt(httpServer.group(3))));
            nodes--;
        }
        assertEquals(0, nodes, "as many HTTP backend servers as RTMP ones");
        // WHEP: a session's DELETE is sent on before the offers' rule could take it, to the node its cookie names.
        int sessions = config.indexOf("use_backend whep_sessions if { path_beg /whep/session/ }");
        int offers = config.indexOf("use_backend whep_offers if { path_beg /whep/ }");
        assertTrue(sessions >= 0 && offers > sessions, config);
        assertTrue(config.contains("force-persist if TRUE"), "a DELETE reaches its node while that node drains");
        assertTrue(!Pattern.compile("(?m)^\\s+ignore-persist").matcher(config).find(),
                "ignore-persist would stop HAProxy setting the cookie");
        assertTrue(config.contains("cookie rendercast-whep insert"), "the offer's answer sets the cookie");
        Matcher whepServer = Pattern.compile("server node(\\d+) 127.0.0.1:(\\d+) check agent-port (\\d+) cookie node(\\d+)\n")
                .matcher(config);
        int whep = 0;
        while (whepServer.find()) {
            int i = Integer.parseInt(whepServer.group(1));
            assertEquals(List.of(18080 + i, 19500 + i, i), List.of(Integer.parseInt(whepServer.group(2)),
                    Integer.parseInt(whepServer.group(3)), Integer.parseInt(whepServer.group(4))));
            whep++;
        }
        assertEquals(6, whep, "each WHEP backend names the three nodes, each by its cookie");
    }
}
