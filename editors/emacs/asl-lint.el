;;; asl-lint.el --- Eglot set-up for the asl-lint language server  -*- lexical-binding: t; -*-

;; Keywords: languages, tools
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Lints AWS Step Functions state machines (Amazon States Language) as you type, with the
;; `asl-lint lsp' language server and Eglot (built into Emacs 29+; on Emacs 28 from GNU ELPA
;; or Debian's `elpa-eglot').
;;
;; This file defines two major modes and tells Eglot to use asl-lint for them:
;;
;;   `asl-json-mode'  for *.asl.json and *.asl.jsonc, derived from `js-json-mode' (Emacs 29+)
;;                    or `js-mode' (Emacs 28), so JSON highlighting and indentation stay;
;;   `asl-yaml-mode'  for *.asl.yaml and *.asl.yml, derived from `yaml-mode' (the package
;;                    yaml-mode, Debian's `elpa-yaml-mode') when it is installed, else from
;;                    `yaml-ts-mode' (Emacs 29+ with the tree-sitter YAML grammar), else
;;                    from `text-mode'.
;;
;; Use:
;;
;;   (add-to-list 'load-path "~/src/asl-lint/editors/emacs")
;;   (require 'asl-lint)
;;   (add-hook 'asl-json-mode-hook #'eglot-ensure)
;;   (add-hook 'asl-yaml-mode-hook #'eglot-ensure)
;;
;; See README.md beside this file.

;;; Code:

(require 'js)

(defgroup asl-lint nil
  "AWS Step Functions state machines with the asl-lint language server."
  :group 'languages
  :prefix "asl-lint-")

(defcustom asl-lint-server-command '("asl-lint" "lsp")
  "The command that starts the asl-lint language server (LSP over stdio).
A list: the program (on the variable `exec-path', or an absolute
file name) and its arguments.  Read each time Eglot starts a server."
  :type '(repeat string)
  :group 'asl-lint)

;; The parents are chosen once, when this file is loaded: the best JSON and YAML modes this
;; Emacs has.
(defalias 'asl-lint--json-parent-mode
  (if (fboundp 'js-json-mode) #'js-json-mode #'js-mode)
  "The parent of `asl-json-mode': `js-json-mode' (Emacs 29+) or `js-mode'.")

(declare-function yaml-mode "yaml-mode")
(declare-function yaml-ts-mode "yaml-ts-mode")
(declare-function treesit-ready-p "treesit")
(declare-function js-json-mode "js")

(defalias 'asl-lint--yaml-parent-mode
  (cond ((require 'yaml-mode nil t) #'yaml-mode)
        ((and (fboundp 'yaml-ts-mode)
              (fboundp 'treesit-ready-p)
              (treesit-ready-p 'yaml t))
         #'yaml-ts-mode)
        (t #'text-mode))
  "The parent of `asl-yaml-mode': `yaml-mode', `yaml-ts-mode' or `text-mode'.")

;;;###autoload
(define-derived-mode asl-json-mode asl-lint--json-parent-mode "ASL"
  "Major mode for Amazon States Language state machines in JSON or JSONC.
Everything of the JSON mode it derives from, plus the asl-lint
language server through Eglot (`eglot-ensure' in `asl-json-mode-hook').")

;;;###autoload
(define-derived-mode asl-yaml-mode asl-lint--yaml-parent-mode "ASL-YAML"
  "Major mode for Amazon States Language state machines in YAML.
Everything of the YAML mode it derives from, plus the asl-lint
language server through Eglot (`eglot-ensure' in `asl-yaml-mode-hook').")

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.asl\\.jsonc?\\'" . asl-json-mode))
;;;###autoload
(add-to-list 'auto-mode-alist '("\\.asl\\.ya?ml\\'" . asl-yaml-mode))

(defun asl-lint--server-command (&optional _interactive)
  "The contact of the asl-lint server for Eglot: `asl-lint-server-command'."
  asl-lint-server-command)

;; Both modes send the language id "asl": the server takes the dialect (JSON, JSONC or YAML)
;; from the file name's extension. (Eglot 1.9, Emacs 28's, keeps ONE language id per server,
;; shared by every mode the entry lists: "asl-yaml" would reach JSON buffers too.) The entry
;; goes first, before Eglot's own entries for `js-mode' and `yaml-mode', which the modes above
;; derive from.
(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs
               '(((asl-json-mode :language-id "asl")
                  (asl-yaml-mode :language-id "asl"))
                 . asl-lint--server-command)))

(provide 'asl-lint)
;;; asl-lint.el ends here
