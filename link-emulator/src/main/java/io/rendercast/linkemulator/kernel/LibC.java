package io.rendercast.linkemulator.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The few C library calls a TUN device needs; each throws with errno when it fails. */
public interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, byte[] argument) throws LastErrorException;

    int poll(byte[] pollFds, NativeLong count, int timeoutMillis) throws LastErrorException;

    NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int namespaceType) throws LastErrorException;
}
