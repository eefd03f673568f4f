/** Context variables of the link pages. */
export interface LinkPageVariables {
  /**
   * Where the page's form may lead, besides the server, once the link is known: the PingOne
   * auth origin, and the origin of the link's `return_url` if it has one.
   */
  linkFormActions?: readonly string[];
}
