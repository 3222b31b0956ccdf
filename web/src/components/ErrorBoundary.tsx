import { Component, type ReactNode } from 'react';

/** Shows a page's crash in place instead of blanking the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error)
      return (
        <div className="card" role="alert">
          <h1>Something went wrong</h1>
          <p className="err">{this.state.error.message}</p>
        </div>
      );
    return this.props.children;
  }
}
