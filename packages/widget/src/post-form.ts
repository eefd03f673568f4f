/**
 * Navigates the browsing context named `target` (a popup's name, or `_self` for the page
 * itself) with a POST of `fields`, so that nothing in them (the session token above all) ends
 * up in a URL, a history entry or a server access log. A form can only be submitted while
 * connected, hence the brief stay in `parent`.
 */
export function postForm(
  parent: ParentNode,
  action: URL,
  target: string,
  fields: Record<string, string>,
): void {
  const form = Object.assign(document.createElement('form'), {
    method: 'post',
    action,
    target,
    hidden: true,
  });
  for (const [name, value] of Object.entries(fields)) {
    form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
  }
  parent.append(form);
  form.submit();
  form.remove();
}
