/** xhr2: XMLHttpRequest for Node (dicomweb-client's transport). The part the back end uses. */
declare module 'xhr2' {
  interface NodeXMLHttpRequest {
    timeout: number;
    readonly status: number;
    abort(): void;
    setRequestHeader(name: string, value: string): void;
    addEventListener(type: 'timeout' | 'error' | 'abort' | 'progress', listener: () => void): void;
  }
  const XMLHttpRequestForNode: { new (): NodeXMLHttpRequest };
  export default XMLHttpRequestForNode;
}
