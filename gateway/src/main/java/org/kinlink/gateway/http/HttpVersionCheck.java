package org.kinlink.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Marks a request in an HTTP version other than 1.0 or 1.1 ({@code HTTP/9.9}, an HTTP/2 preface on
 * the HTTP/1 listener) as undecodable. Vert.x answers those with a bare 501 that no handler of ours
 * sees; as a decoder failure it reaches the invalid-request handler, which answers 400 in the error
 * shape with the security headers.
 */
final class HttpVersionCheck extends ChannelInboundHandlerAdapter {
  static final String NAME = "kinlink-http-version";

  static final class UnsupportedVersion extends RuntimeException {
    UnsupportedVersion(String version) {
      super("unsupported HTTP version " + version, null, false, false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version)) {
        request.setProtocolVersion(HttpVersion.HTTP_1_0);
        request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(version.text())));
      }
    }
    super.channelRead(ctx, msg);
  }
}
