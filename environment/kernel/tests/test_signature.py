"""Jupyter's only authentication is the HMAC signature on every message: the kernel must drop a message with a
wrong or missing signature without executing it, log it, and keep answering.

    JUPYTER_PATH=build/jupyter /usr/bin/python3 -m unittest environment/kernel/tests/test_signature.py

Each test sends an execute_request whose code would create a marker file, then proves the kernel still answers
(a correctly signed request runs), and that the marker file does not exist. A control test shows that the same
code, correctly signed, does create the file, so the check can fail.
"""
import os
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 60


class SignatureTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="java")
        cls.tmp = tempfile.mkdtemp(prefix="thinklab-sig-")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def marker_code(self, name):
        path = os.path.join(self.tmp, name)
        return path, f'java.nio.file.Files.writeString(java.nio.file.Path.of("{path}"), "executed");'

    def send_raw(self, session, code, signature=None):
        """Sends an execute_request on the shell socket, signed by `session`, or with `signature` forced."""
        msg = session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        parts = [session.pack(msg["header"]), session.pack(msg["parent_header"]),
                 session.pack(msg["metadata"]), session.pack(msg["content"])]
        sig = session.sign(parts) if signature is None else signature
        self.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", sig] + parts)

    def run_signed(self, code):
        msg_id = self.kc.execute(code)
        while True:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def assert_still_answers(self):
        reply = self.run_signed("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_control_correct_signature_executes(self):
        path, code = self.marker_code("control")
        self.assertEqual(self.run_signed(code)["content"]["status"], "ok")
        self.assertTrue(os.path.exists(path), "a correctly signed request must run (else this test proves nothing)")

    def test_wrong_key_is_dropped(self):
        path, code = self.marker_code("wrong-key")
        wrong = Session(key=b"not-the-kernel-key", signature_scheme="hmac-sha256")
        self.send_raw(wrong, code)
        self.assert_still_answers()
        time.sleep(0.5)
        self.assertFalse(os.path.exists(path), "a request signed with the wrong key was executed")

    def test_missing_signature_is_dropped(self):
        path, code = self.marker_code("no-signature")
        self.send_raw(self.kc.session, code, signature=b"")
        self.assert_still_answers()
        time.sleep(0.5)
        self.assertFalse(os.path.exists(path), "a request without a signature was executed")

    def test_tampered_content_is_dropped(self):
        path, code = self.marker_code("tampered")
        _, harmless = self.marker_code("harmless-but-unused")
        # sign a harmless request, then swap in other code under the same signature
        s = self.kc.session
        msg = s.msg("execute_request", {"code": "1", "silent": False, "store_history": True,
                                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        parts = [s.pack(msg["header"]), s.pack(msg["parent_header"]), s.pack(msg["metadata"]), s.pack(msg["content"])]
        sig = s.sign(parts)
        msg["content"]["code"] = code
        parts[3] = s.pack(msg["content"])
        self.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", sig] + parts)
        self.assert_still_answers()
        time.sleep(0.5)
        self.assertFalse(os.path.exists(path), "a tampered request was executed")


if __name__ == "__main__":
    unittest.main()
