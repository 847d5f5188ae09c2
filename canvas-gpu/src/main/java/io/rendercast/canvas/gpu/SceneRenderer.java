package io.rendercast.canvas.gpu;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.lwjgl.BufferUtils;

/** A torus, lit by one directional light with diffuse and specular shading, turning in front of a camera. */
final class SceneRenderer implements AutoCloseable {

    private static final String VERTEX_SHADER = """
            #version 330 core
            layout(location = 0) in vec3 position;
            layout(location = 1) in vec3 normal;
            uniform mat4 modelViewProjection;
            uniform mat4 model;
            out vec3 worldNormal;
            out vec3 worldPosition;
            void main() {
                gl_Position = modelViewProjection * vec4(position, 1.0);
                worldNormal = mat3(model) * normal;
                worldPosition = (model * vec4(position, 1.0)).xyz;
            }
            """;
    private static final String FRAGMENT_SHADER = """
            #version 330 core
            in vec3 worldNormal;
            in vec3 worldPosition;
            uniform vec3 color;
            uniform vec3 lightDirection;
            uniform vec3 eye;
            out vec4 fragment;
            void main() {
                vec3 n = normalize(worldNormal);
                vec3 l = normalize(lightDirection);
                vec3 h = normalize(l + normalize(eye - worldPosition));
                float diffuse = max(dot(n, l), 0.0);
                float specular = pow(max(dot(n, h), 0.0), 48.0);
                fragment = vec4(color * (0.18 + 0.82 * diffuse) + vec3(0.55) * specular, 1.0);
            }
            """;

    private final int program;
    private final int vertexArray;
    private final int vertexBuffer;
    private final int indexBuffer;
    private final int indexCount;
    private final int modelViewProjection;
    private final int model;
    private final int color;
    private final int lightDirection;
    private final int eye;

    SceneRenderer() throws GpuUnavailableException {
        program = link(compile(GL_VERTEX_SHADER, VERTEX_SHADER), compile(GL_FRAGMENT_SHADER, FRAGMENT_SHADER));
        modelViewProjection = glGetUniformLocation(program, "modelViewProjection");
        model = glGetUniformLocation(program, "model");
        color = glGetUniformLocation(program, "color");
        lightDirection = glGetUniformLocation(program, "lightDirection");
        eye = glGetUniformLocation(program, "eye");

        int rings = 96;
        int sides = 48;
        FloatBuffer vertices = BufferUtils.createFloatBuffer((rings + 1) * (sides + 1) * 6);
        for (int i = 0; i <= rings; i++) {
            double u = 2 * Math.PI * i / rings;
            for (int j = 0; j <= sides; j++) {
                double v = 2 * Math.PI * j / sides;
                double nx = Math.cos(v) * Math.cos(u);
                double ny = Math.sin(v);
                double nz = Math.cos(v) * Math.sin(u);
                vertices.put((float) (Math.cos(u) + 0.4 * nx)).put((float) (0.4 * ny)).put((float) (Math.sin(u) + 0.4 * nz));
                vertices.put((float) nx).put((float) ny).put((float) nz);
            }
        }
        vertices.flip();
        IntBuffer indices = BufferUtils.createIntBuffer(rings * sides * 6);
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < sides; j++) {
                int a = i * (sides + 1) + j;
                int b = (i + 1) * (sides + 1) + j;
                indices.put(a).put(b).put(a + 1).put(b).put(b + 1).put(a + 1);
            }
        }
        indices.flip();
        indexCount = indices.remaining();
        vertexArray = glGenVertexArrays();
        glBindVertexArray(vertexArray);
        vertexBuffer = glGenBuffers();
        glBindBuffer(GL_ARRAY_BUFFER, vertexBuffer);
        glBufferData(GL_ARRAY_BUFFER, vertices, GL_STATIC_DRAW);
        glVertexAttribPointer(0, 3, GL_FLOAT, false, 24, 0);
        glVertexAttribPointer(1, 3, GL_FLOAT, false, 24, 12);
        glEnableVertexAttribArray(0);
        glEnableVertexAttribArray(1);
        indexBuffer = glGenBuffers();
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indexBuffer);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, indices, GL_STATIC_DRAW);
        glBindVertexArray(0);
    }

    /** Draws frame {@code frame} into the bound framebuffer: the torus turns a little every frame. */
    void draw(long frame, Camera camera, int rgb, int width, int height) {
        glClearColor(0.07f, 0.09f, 0.16f, 1f);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glUseProgram(program);
        double[] eyePosition = {
                camera.distance() * Math.cos(camera.pitch()) * Math.sin(camera.yaw()),
                camera.distance() * Math.sin(camera.pitch()),
                camera.distance() * Math.cos(camera.pitch()) * Math.cos(camera.yaw())};
        float[] modelMatrix = Matrices.rotation(frame * 0.02, 0.6);
        float[] viewProjection = Matrices.multiply(Matrices.perspective(Math.toRadians(45), (double) width / height,
                0.1, 100), Matrices.lookAtOrigin(eyePosition));
        glUniformMatrix4fv(modelViewProjection, false, Matrices.multiply(viewProjection, modelMatrix));
        glUniformMatrix4fv(model, false, modelMatrix);
        glUniform3f(color, ((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f);
        glUniform3f(lightDirection, 0.5f, 0.8f, 0.6f);
        glUniform3f(eye, (float) eyePosition[0], (float) eyePosition[1], (float) eyePosition[2]);
        glBindVertexArray(vertexArray);
        glDrawElements(GL_TRIANGLES, indexCount, GL_UNSIGNED_INT, 0);
        glBindVertexArray(0);
    }

    private static int compile(int type, String source) throws GpuUnavailableException {
        int shader = glCreateShader(type);
        glShaderSource(shader, source);
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(shader);
            glDeleteShader(shader);
            throw new GpuUnavailableException("the scene's shader does not compile: " + log);
        }
        return shader;
    }

    private static int link(int vertex, int fragment) throws GpuUnavailableException {
        int program = glCreateProgram();
        glAttachShader(program, vertex);
        glAttachShader(program, fragment);
        glLinkProgram(program);
        glDeleteShader(vertex);
        glDeleteShader(fragment);
        if (glGetProgrami(program, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(program);
            glDeleteProgram(program);
            throw new GpuUnavailableException("the scene's shaders do not link: " + log);
        }
        return program;
    }

    @Override
    public void close() {
        glDeleteBuffers(vertexBuffer);
        glDeleteBuffers(indexBuffer);
        glDeleteVertexArrays(vertexArray);
        glDeleteProgram(program);
    }
}
