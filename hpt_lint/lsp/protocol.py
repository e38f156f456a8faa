"""The JSON-RPC protocol of the server: pygls's, except that a request after
``shutdown`` gets an ``InvalidRequest`` error reply (LSP: "the server errors with
InvalidRequest"), where pygls drops it and leaves the client waiting forever."""

from __future__ import annotations

from typing import Any

from lsprotocol.types import EXIT
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCRequest


class HptProtocol(LanguageServerProtocol):
    def handle_message(self, message: Any) -> None:
        if self._shutdown and isinstance(message, RPCRequest) \
                and getattr(message, "method", EXIT) != EXIT:
            error = JsonRpcInvalidRequest("the server is shutting down (shutdown was received)")
            self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)
