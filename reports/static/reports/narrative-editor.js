// The section editor: a contenteditable box instead of the plain text box. Figures are chips
// (<span data-figure="key">) the secretary cannot type into; on submit the box is written out as the few
// tags a narrative keeps (p, strong, em, ul, ol, li, br) into the form's text field, and the server
// sanitizes it again and turns each chip back into its figure. No strings here: the page carries them.
(function () {
  "use strict";
  const form = document.querySelector("[data-narrative-form]");
  if (!form) return;
  const field = form.querySelector("textarea[name=narrative]");
  const editor = form.querySelector("[data-narrative-editor]");
  const rich = form.querySelector("[data-narrative-rich]");
  const plain = form.querySelector("[data-narrative-plain] #div_id_narrative") || field;
  if (!field || !editor || !rich) return;

  plain.hidden = true;
  rich.hidden = false;
  const picker = document.querySelector("[data-figure-picker]");
  if (picker) picker.hidden = false;
  try {
    document.execCommand("defaultParagraphSeparator", false, "p");
    document.execCommand("styleWithCSS", false, false);
  } catch (e) {
    // Older browsers: Enter makes <div>s, which are written out as paragraphs anyway.
  }

  function ensureParagraph() {
    if (!editor.textContent.trim() && !editor.querySelector("[data-figure]")) {
      editor.innerHTML = "<p><br></p>";
    }
  }
  ensureParagraph();

  // Remember where the caret was, so "Insert figure" (a click outside the box) puts the chip there.
  let saved = null;
  document.addEventListener("selectionchange", function () {
    const sel = window.getSelection();
    if (sel.rangeCount && editor.contains(sel.getRangeAt(0).commonAncestorContainer)) {
      saved = sel.getRangeAt(0).cloneRange();
    }
  });

  function restoreCaret() {
    editor.focus();
    const sel = window.getSelection();
    sel.removeAllRanges();
    if (saved) {
      sel.addRange(saved);
    } else {
      const range = document.createRange();
      const last = editor.lastElementChild || editor;
      range.selectNodeContents(last);
      range.collapse(false);
      sel.addRange(range);
    }
    return sel;
  }

  document.querySelectorAll("[data-command]").forEach(function (button) {
    button.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the selection in the box
    });
    button.addEventListener("click", function () {
      restoreCaret();
      document.execCommand(button.dataset.command, false, null);
    });
  });

  const insert = document.querySelector("[data-insert-figure]");
  const select = document.getElementById("figure-picker");
  if (insert && select) {
    insert.addEventListener("click", function () {
      const option = select.selectedOptions[0];
      if (!option) return;
      const chip = document.createElement("span");
      chip.className = "fig-chip";
      chip.contentEditable = "false";
      chip.dataset.figure = option.value;
      chip.title = option.dataset.label;
      chip.textContent = option.dataset.value;
      const sel = restoreCaret();
      const range = sel.getRangeAt(0);
      range.deleteContents();
      // A zero-width space after the chip gives the caret a place to stand; it is not written out.
      const after = document.createTextNode("\u200b");
      range.insertNode(after);
      range.insertNode(chip);
      range.setStartAfter(after);
      range.collapse(true);
      sel.removeAllRanges();
      sel.addRange(range);
      saved = range.cloneRange();
    });
  }

  // Pasted text comes in as words only: no fonts, colours or links from other programs.
  editor.addEventListener("paste", function (event) {
    event.preventDefault();
    const text = (event.clipboardData || window.clipboardData).getData("text/plain");
    document.execCommand("insertText", false, text);
  });

  const INLINE = { B: "strong", STRONG: "strong", I: "em", EM: "em" };
  const BLOCK = { P: "p", DIV: "p", UL: "ul", OL: "ol", LI: "li" };

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00a0/g, " ").replace(/\u200b/g, "");
  }

  function escapeAttr(text) {
    return escapeText(text).replace(/"/g, "&quot;");
  }

  function write(node) {
    if (node.nodeType === Node.TEXT_NODE) return escapeText(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.dataset && node.dataset.figure) {
      return '<span data-figure="' + escapeAttr(node.dataset.figure) + '"></span>';
    }
    if (node.tagName === "BR") return "<br>";
    const inner = Array.from(node.childNodes).map(write).join("");
    const tag = INLINE[node.tagName] || BLOCK[node.tagName];
    if (!tag) return inner;
    if (tag === "p" && !inner.replace(/<br>/g, "").trim()) return "";
    return "<" + tag + ">" + inner + "</" + tag + ">";
  }

  // Loose words at the top level (typed before any paragraph exists) become paragraphs of their own.
  function serialize() {
    let out = "";
    let loose = "";
    Array.from(editor.childNodes).forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && BLOCK[node.tagName]) {
        if (loose.trim()) out += "<p>" + loose + "</p>";
        loose = "";
        out += write(node);
      } else {
        loose += write(node);
      }
    });
    if (loose.replace(/<br>/g, "").trim()) out += "<p>" + loose + "</p>";
    return out;
  }

  form.addEventListener("submit", function () {
    field.value = serialize();
  });
})();
